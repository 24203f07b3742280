import ArgumentParser
import BPGradEngine

@main
struct BPGradTUI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bpgrad-tui",
        abstract: "Watch BPGrad, Adam and other solvers train the same network side by side.",
        subcommands: [DashboardCommand.self, TrainCommand.self, CompareCommand.self, SweepCommand.self, ViewCommand.self, WatchCommand.self, SolversCommand.self,
                      PlotCommand.self, LandscapeCommand.self,
                      BenchCommand.self, PresetsCommand.self],
        defaultSubcommand: DashboardCommand.self
    )
}
