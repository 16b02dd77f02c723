/// What a user agent reports without being asked: presence notifications and messages.
public enum SIPUserAgentEvent: Sendable, Equatable {
    /// A NOTIFY for a presence subscription. `document` is nil when the body was empty
    /// (no published state); `state` says whether the subscription goes on.
    case presence(entity: String, document: PIDFDocument?, state: SIPSubscriptionState)
    /// An incoming MESSAGE (RFC 3428).
    case message(from: String, contentType: String, body: String)
}
