/// A subscriber's user name, as a verified token names it (`sub`) and as connectors receive it (`user`).
public struct UserName: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
