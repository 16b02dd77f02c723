/// A subscriber known to the demo services: the same three people appear in the identity
/// proxy (PROTOCOL.md, demo contract), in the contacts service and in the location service.
public struct DemoSubscriber: Sendable, Hashable {
    /// The WSE user name, also the local part of the SIP URI.
    public var user: String
    public var name: String
    /// The phone number as a `tel:` URI (RFC 3966), which the location service knows.
    public var address: String

    public init(user: String, name: String, address: String) {
        self.user = user
        self.name = name
        self.address = address
    }

    /// The SIP address of record in `domain`, e.g. `sip:bob@wse.demo`.
    public func sipURI(domain: String) -> String { "sip:\(user)@\(domain)" }

    /// alice, bob and carol, with phone numbers from the 555-01xx range reserved for fiction.
    public static let seed: [DemoSubscriber] = [
        DemoSubscriber(user: "alice", name: "Alice Archer", address: "tel:+15550100001"),
        DemoSubscriber(user: "bob", name: "Bob Baker", address: "tel:+15550100002"),
        DemoSubscriber(user: "carol", name: "Carol Clark", address: "tel:+15550100003"),
    ]

    /// The SIP domain the demo uses unless told otherwise.
    public static let defaultSIPDomain = "wse.demo"
}
