/// Whom each terminal's owner lets see where it is. The demo location service answers a requester who is not
/// on the owner's list with a OneAPI policy exception (403 POL0002): location is personal data.
public struct LocationConsent: Sendable {
    /// By address (`tel:` URI): the requesters (WSE users) its owner allowed, the owner among them.
    public var allowed: [String: Set<String>]

    public init(allowed: [String: Set<String>]) {
        self.allowed = allowed
    }

    /// Every one of `subscribers` may locate every other (the demo's contacts).
    public static func mutual(_ subscribers: [DemoSubscriber]) -> LocationConsent {
        let everyone = Set(subscribers.map(\.user))
        return LocationConsent(allowed: Dictionary(uniqueKeysWithValues: subscribers.map { ($0.address, everyone) }))
    }

    func allows(_ requester: String?, toLocate address: String) -> Bool {
        guard let requester else { return false }
        return allowed[address]?.contains(requester) == true
    }
}
