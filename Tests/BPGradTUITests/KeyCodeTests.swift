@testable import bpgrad_tui
import BPGradDashboard
import CNcurses
import XCTest

final class KeyCodeTests: XCTestCase {
    func testFunctionKeysAndControlCharacters() {
        XCTAssertEqual(KeyCode.input(UInt32(KEY_UP), function: true), .key(.up))
        XCTAssertEqual(KeyCode.input(UInt32(KEY_DOWN), function: true), .key(.down))
        XCTAssertEqual(KeyCode.input(UInt32(KEY_LEFT), function: true), .key(.left))
        XCTAssertEqual(KeyCode.input(UInt32(KEY_RIGHT), function: true), .key(.right))
        XCTAssertEqual(KeyCode.input(UInt32(KEY_ENTER), function: true), .key(.enter))
        XCTAssertEqual(KeyCode.input(UInt32(KEY_BACKSPACE), function: true), .key(.backspace))
        XCTAssertEqual(KeyCode.input(UInt32(KEY_RESIZE), function: true), .resize)
        XCTAssertNil(KeyCode.input(UInt32(KEY_F0 + 5), function: true), "keys the dashboard does not use")
        XCTAssertEqual(KeyCode.input(3, function: false), .key(.interrupt), "Ctrl-C in raw mode")
        XCTAssertEqual(KeyCode.input(10, function: false), .key(.enter))
        XCTAssertEqual(KeyCode.input(13, function: false), .key(.enter))
        XCTAssertEqual(KeyCode.input(27, function: false), .key(.escape))
        XCTAssertEqual(KeyCode.input(127, function: false), .key(.backspace))
        XCTAssertEqual(KeyCode.input(8, function: false), .key(.backspace))
        XCTAssertNil(KeyCode.input(1, function: false), "other control characters")
        XCTAssertEqual(KeyCode.input(UInt32(UInt8(ascii: "F")), function: false), .key(.character("F")))
        XCTAssertEqual(KeyCode.input(0x3BC, function: false), .key(.character("μ")), "wide characters")
        XCTAssertNil(KeyCode.input(0xD800, function: false), "not a Unicode scalar")
    }
}
