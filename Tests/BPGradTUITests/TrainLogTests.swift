@testable import bpgrad_tui
import ArgumentParser
import Foundation
import XCTest

/// `train --log`: never over an existing file unless --force, and a file-size limit is an
/// error with a whole last row, never a death by SIGXFSZ.
final class TrainLogTests: XCTestCase {
    private var root = ""

    override func setUp() {
        root = NSTemporaryDirectory() + "train-log-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: root) }

    private func train(_ arguments: [String]) throws {
        let command = try TrainCommand.parse(["--preset", "spirals", "--set", "dataset.n=200"] + arguments)
        try command.validate()
        try command.run()
    }

    func testAnExistingLogIsWrittenOverOnlyWithForce() throws {
        let log = root + "/log.csv"
        try "mine\n".write(toFile: log, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try train(["--steps", "3", "--log", log])) { error in
            XCTAssertTrue("\(error)".contains("already exists") && "\(error)".contains("--force"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8), "mine\n")
        try train(["--steps", "3", "--log", log, "--force"])
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count, 4, "the header and three rows")
        XCTAssertThrowsError(try TrainCommand.parse(["--force"]).validate(), "--force alone names nothing to write over")
    }

    /// Under `ulimit -f` the write fails with EFBIG instead of the process dying of SIGXFSZ
    /// (the default action, which this test would die of too).
    func testAFileSizeLimitIsAnErrorWithAWholeLastRow() throws {
        let log = root + "/capped.csv"
        let previous = signal(SIGXFSZ, SIG_DFL)
        var old = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
        var capped = old
        capped.rlim_cur = 4000
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &capped)
        var thrown: (any Error)?
        do { try train(["--steps", "2000", "--log", log]) } catch { thrown = error }
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
        signal(SIGXFSZ, previous)
        let error = try XCTUnwrap(thrown, "a log that could not be written is an error")
        XCTAssertTrue("\(error)".contains("capped.csv") && "\(error)".contains("File too large"), "\(error)")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("\n"), "no torn row")
        XCTAssertLessThanOrEqual(text.utf8.count, 4000)
    }
}
