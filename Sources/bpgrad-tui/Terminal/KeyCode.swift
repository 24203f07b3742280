import BPGradDashboard
import CNcurses

/// Terminal input as the dashboard's keys: ncurses's function-key codes and the control
/// characters raw mode delivers (Ctrl-C is 3, Escape 27, Backspace 8 or 127).
enum KeyCode {
    /// `code` as `get_wch` returned it; `function` when it returned KEY_CODE_YES.
    static func input(_ code: UInt32, function: Bool) -> TerminalInput? {
        if function {
            switch Int32(code) {
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_ENTER: return .key(.enter)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_RESIZE: return .resize
            default: return nil
            }
        }
        switch code {
        case 3: return .key(.interrupt)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }
}
