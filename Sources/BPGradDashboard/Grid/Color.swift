/// A terminal colour: the default, one of the 8 basic colours, or an xterm-256 index.
/// The backend maps 256-colour indices down to the basic 8 on terminals without them.
public enum Color: Hashable, Sendable {
    case reset
    case basic(UInt8)
    case indexed(UInt8)

    public static let black = Color.basic(0), red = Color.basic(1), green = Color.basic(2), yellow = Color.basic(3)
    public static let blue = Color.basic(4), magenta = Color.basic(5), cyan = Color.basic(6), white = Color.basic(7)
}
