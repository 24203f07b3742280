import ArgumentParser
import BPGradEngine
import XCTest
@testable import bpgrad_tui

/// A bad value on the command line is named, with what was expected, beside the usage of the
/// command it was given to.
final class CommandLineErrorTests: XCTestCase {
    private func message(_ arguments: [String]) -> String {
        do {
            _ = try BPGradTUI.parseAsRoot(arguments)
            return "(parsed)"
        } catch {
            return BPGradTUI.fullMessage(for: error)
        }
    }

    /// A negative number is the option's value, not a missing one.
    func testNegativeNumbersAreValuesThatValidationRefuses() {
        XCTAssertTrue(message(["train", "--steps", "-5"]).contains("--steps must be at least 1, got -5"), message(["train", "--steps", "-5"]))
        XCTAssertTrue(message(["compare", "--epochs", "-1"]).contains("--epochs must be at least 1, got -1"))
        XCTAssertTrue(message(["dashboard", "--seed", "-3"]).contains("--seed must be non-negative, got -3"))
        XCTAssertTrue(message(["landscape", "--steps", "-2"]).contains("--steps must be at least 1, got -2"))
        XCTAssertTrue(message(["bench", "--rounds", "-2"]).contains("--rounds must be at least 1, got -2"))
    }

    /// A misspelt test function is named with the choices, under landscape's usage.
    func testUnknownFunctionNamesTheChoicesUnderLandscapeUsage() {
        let text = message(["landscape", "--function", "rastrign"])
        XCTAssertTrue(text.contains("unknown function 'rastrign'; expected one of rastrigin, ackley"), text)
        XCTAssertTrue(text.contains("Usage: bpgrad-tui landscape"), text)
        XCTAssertTrue(message(["landscape", "--start", "4;4"]).contains("--start expects x,y"))
    }

    /// A --presets-dir that is not a folder is named, not passed over for the built-in preset.
    func testPresetsDirMustBeAFolder() {
        XCTAssertTrue(message(["train", "--presets-dir", "/nonexistent/presest"]).contains("--presets-dir /nonexistent/presest: no such folder"))
        XCTAssertTrue(message(["presets", "--presets-dir", "/etc/hostname"]).contains("not a folder"))
        XCTAssertEqual(message(["presets", "--presets-dir", "/tmp"]), "(parsed)")
    }

    /// A speed cap so small that the wait between steps overflows is refused up front.
    func testSpeedCapBounds() {
        XCTAssertTrue(message(["dashboard", "--speed", "1e-300"]).contains("between 0.001 and 1000000, got 1e-300"))
        XCTAssertTrue(message(["dashboard", "--speed", "-3"]).contains("got -3.0"))
        XCTAssertEqual(message(["dashboard", "--speed", "0.001"]), "(parsed)")
    }
}

/// Progress on stderr: labels fitted, and no old line left under a shorter block.
final class ProgressLinesTests: XCTestCase {
    func testAShorterBlockClearsWhatWasBelow() {
        var out = [String]()
        let p = ProgressLines(live: true, width: 80) { out.append($0) }
        p.show(["a", "b", "c"], at: 0)
        p.show(["a"], at: 1)
        XCTAssertFalse(out[0].contains("\u{1B}[J"))
        XCTAssertTrue(out[1].hasPrefix("\u{1B}[3A") && out[1].hasSuffix("\u{1B}[J"), out[1].debugDescription)
    }

    /// A sweep's labels differ at their end: the progress lines keep them apart (cut at 14
    /// both read "BPGrad L=20 mu"), and whole where the line has room.
    func testSweepLabelsStayApart() throws {
        let preset = try PresetLibrary.standard().load("spirals")
        let configurations = try preset.configurations("bpgrad:momentum=0.5@BPGrad L=20 mu=0.5 rho=0.1, bpgrad:momentum=0.9@BPGrad L=20 mu=0.9 rho=0.1")
        let metrics = configurations.map { ConfigurationMetrics(configuration: $0, totalSteps: 100) }
        let narrow = CompareCommand.progressLines(metrics, width: 80)
        XCTAssertNotEqual(narrow[0].prefix(14), narrow[1].prefix(14), "\(narrow)")
        XCTAssertTrue(CompareCommand.progressLines(metrics, width: 200)[0].hasPrefix("BPGrad L=20 mu=0.5 rho=0.1 "))
        XCTAssertEqual(CompareCommand.progressLines(metrics, width: 80) { $0.label.contains("0.9") }.count, 1)
    }
}
