import ArgumentParser
import BPGradEngine

/// Lists the solver registry: what `--solvers`, presets, `--set` and the dashboard accept.
/// Everything printed comes from the solvers' own descriptors, so a new solver appears here
/// without an edit.
struct SolversCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solvers",
        abstract: "List every solver, what it does, and its hyperparameters with their defaults and ranges."
    )

    func run() {
        for (i, d) in SolverRegistry.all.enumerated() {
            if i > 0 { print("") }
            print("\(d.kind)  \(d.displayName): \(d.summary)")
            let rows = d.schema.infos.map { info in
                [info.symbol == info.key.rawValue ? info.key.rawValue : "\(info.key) (\(info.symbol))",
                 info.defaultValue.description, info.rangeText, info.summary]
            }
            let widths = (0..<3).map { c in rows.map { $0[c].count }.max() ?? 0 }
            for r in rows {
                print("  " + (0..<3).map { r[$0].padding(toLength: widths[$0] + 2, withPad: " ", startingAt: 0) }.joined() + r[3])
            }
        }
    }
}
