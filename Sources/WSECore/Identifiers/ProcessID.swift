/// The id of a process: one admitted call of a service (`pid` in PROTOCOL.md), unique on the node.
public struct ProcessID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A fresh, unguessable id: `p` and 22 base-62 characters.
    public static func random() -> ProcessID { ProcessID(RandomID.make(prefix: "p")) }
}
