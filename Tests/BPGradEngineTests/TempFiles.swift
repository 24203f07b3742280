import Foundation
import XCTest

/// A fresh folder per test for the fixtures the tests write themselves.
func makeTemporaryFolder() -> String {
    let path = NSTemporaryDirectory() + "bpgrad-tests-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func write(_ text: String, to path: String) {
    try! text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// An IDX file of unsigned bytes: magic 0x0000_08_rank, big-endian dimensions, values.
func idxBytes(dimensions: [Int], values: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0, 0, 8, UInt8(dimensions.count)]
    for d in dimensions { out += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
    return out + values
}

func writeBytes(_ bytes: [UInt8], to path: String) {
    XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "could not write \(path)")
}

/// Gzips a file with the system's gzip, as Debian ships the dataset.
func gzip(_ path: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/gzip")
    p.arguments = ["-f", path]
    try! p.run(); p.waitUntilExit()
}
