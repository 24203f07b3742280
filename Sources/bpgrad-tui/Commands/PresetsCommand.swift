import ArgumentParser
import Foundation
import BPGradEngine

struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List every preset found, with its description and where it was found."
    )

    func run() throws {
        let library = PresetLibrary.standard()
        let entries = library.entries()
        if entries.isEmpty {
            print("no presets found; looked in:")
        } else {
            let width = entries.map(\.name.count).max() ?? 0
            for e in entries {
                print(e.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + e.description)
                print(String(repeating: " ", count: width + 2) + e.path)
            }
            print("\nsearched, in order:")
        }
        for f in library.folders { print("  \(f)") }
    }
}
