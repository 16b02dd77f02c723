/// The id of a browser session (`session` in `welcome` and `resume`), unique on the node and unguessable.
public struct SessionID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A fresh, unguessable id of 22 base-62 characters.
    public static func random() -> SessionID { SessionID(RandomID.make()) }
}
