import ArgumentParser
import BPGradEngine
import Foundation

/// Where presets are looked for: `--presets-dir` folders first, then the standard places (see
/// `PresetLibrary.standard`), then the presets built into the binary.
struct PresetSearchOptions: ParsableArguments {
    @Option(name: .customLong("presets-dir"), parsing: .singleValue,
            help: ArgumentHelp("Look for presets in this folder first (repeatable; before $BPGRAD_TUI_PRESETS, ./presets, $XDG_CONFIG_HOME/bpgrad-tui/presets and the built-in presets).",
                               valueName: "dir"))
    var directories: [String] = []

    var library: PresetLibrary { PresetLibrary.standard(directories: directories) }

    /// A folder named on the command line must be one: a typo would otherwise fall through to
    /// the built-in preset of the same name without a word.
    func validate() throws {
        for d in directories {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: d, isDirectory: &isFolder) else {
                throw ValidationError("--presets-dir \(d): no such folder (expected a folder of .yaml presets)")
            }
            guard isFolder.boolValue else { throw ValidationError("--presets-dir \(d): not a folder (expected a folder of .yaml presets)") }
        }
    }
}
