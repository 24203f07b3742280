import ArgumentParser
import Foundation
import BPGradEngine

struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List every preset found, with its description and where it was found.",
        discussion: """
            Presets are looked for in every --presets-dir, then $BPGRAD_TUI_PRESETS (colon-separated), \
            ./presets, $XDG_CONFIG_HOME/bpgrad-tui/presets (default ~/.config/bpgrad-tui/presets), and \
            last among those built into the binary; a name found earlier hides a later one.
            """
    )

    @OptionGroup var presetSearch: PresetSearchOptions

    func run() throws {
        let library = presetSearch.library
        let entries = library.entries()
        let width = entries.map(\.name.count).max() ?? 0
        for e in entries {
            print(e.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + e.description)
            print(String(repeating: " ", count: width + 2) + "found: " + e.location.description)
        }
        print("\nsearched, in order:")
        for f in library.folders {
            print("  \(f)" + (FileManager.default.fileExists(atPath: f) ? "" : " (does not exist)"))
        }
        print("  the presets built into bpgrad-tui (\(PresetLibrary.builtInNames.joined(separator: ", ")))")
    }
}
