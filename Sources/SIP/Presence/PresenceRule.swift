/// What a presentity lets one watcher see: the `sub-handling` values of RFC 5025 §3.2.1.
public enum PresenceRule: String, Sendable, Hashable, CaseIterable {
    /// The watcher's SUBSCRIBE is refused (403); a running subscription ends (`terminated;reason=rejected`).
    case block
    /// Pending: the subscription is accepted in the `pending` state, with no presence, until the presentity decides.
    case confirm
    /// The subscription is active, but the watcher only ever sees a document without information (offline).
    case politeBlock = "polite-block"
    /// The watcher sees the presentity's presence.
    case allow
}

/// Where a presentity's authorisation rules are kept and enforced: the embedded presence server; with
/// another SIP core, its own means (XCAP pres-rules), which the IMS connector does not speak.
public protocol PresenceAuthorizing: Sendable {
    /// Sets how `presentity` (an address of record, `sip:user@domain`) treats `watcher`; running
    /// subscriptions of that watcher hear the decision at once.
    func setRule(_ rule: PresenceRule, for watcher: String, of presentity: String) async
    /// The rules `presentity` has set, by watcher address of record.
    func rules(of presentity: String) async -> [String: PresenceRule]
}
