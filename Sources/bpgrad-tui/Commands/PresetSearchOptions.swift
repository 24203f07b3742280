import ArgumentParser
import BPGradEngine

/// Where presets are looked for: `--presets-dir` folders first, then the standard places (see
/// `PresetLibrary.standard`), then the presets built into the binary.
struct PresetSearchOptions: ParsableArguments {
    @Option(name: .customLong("presets-dir"), parsing: .singleValue,
            help: ArgumentHelp("Look for presets in this folder first (repeatable; before $BPGRAD_TUI_PRESETS, ./presets, $XDG_CONFIG_HOME/bpgrad-tui/presets and the built-in presets).",
                               valueName: "dir"))
    var directories: [String] = []

    var library: PresetLibrary { PresetLibrary.standard(directories: directories) }
}
