import ArgumentParser
import BPGradEngine

/// Options every training command shares: which preset, how long, and overrides.
struct ExperimentOptions: ParsableArguments {
    @Option(name: .long, help: "A preset name (see `bpgrad-tui presets`) or a path to a .yaml file.")
    var preset = "spirals"

    @Option(name: .long, parsing: .unconditional, help: "Train for this many steps (overrides the preset).")
    var steps: Int?

    @Option(name: .long, parsing: .unconditional, help: "Train for this many epochs (overrides the preset).")
    var epochs: Int?

    @Option(name: .long, parsing: .unconditional, help: "Seed for initialisation, shuffling and synthetic data.")
    var seed: Int?

    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Override a preset field, e.g. training.batch_size=64 or bpgrad.lipschitz=30.", valueName: "key=value"))
    var overrides: [String] = []

    @OptionGroup var presetSearch: PresetSearchOptions

    func validate() throws {
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1, got \(steps)") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        if let seed, seed < 0 { throw ValidationError("--seed must be non-negative, got \(seed)") }
        if steps != nil, epochs != nil { throw ValidationError("give --steps or --epochs, not both") }
    }

    /// The preset with `--set`, `--steps`, `--epochs` and `--seed` applied, in that order.
    func loadPreset() throws(EngineError) -> Preset {
        var all = overrides
        if let steps { all.append("training.steps=\(steps)") }
        if let epochs { all += ["training.epochs=\(epochs)", "training.steps=~"] }
        if let seed { all.append("training.seed=\(seed)") }
        return try presetSearch.library.load(preset, overrides: all)
    }
}
