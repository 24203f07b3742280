import ArgumentParser
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

    /// A speed cap so small that the wait between steps overflows is refused up front.
    func testSpeedCapBounds() {
        XCTAssertTrue(message(["dashboard", "--speed", "1e-300"]).contains("between 0.001 and 1000000, got 1e-300"))
        XCTAssertTrue(message(["dashboard", "--speed", "-3"]).contains("got -3.0"))
        XCTAssertEqual(message(["dashboard", "--speed", "0.001"]), "(parsed)")
    }
}
