/// WebSocket close codes WSE uses (PROTOCOL.md, plus documented extensions).
public enum CloseCode: UInt16, Sendable, CaseIterable {
    /// Server going away: graceful shutdown.
    case goingAway = 1001
    /// A frame or message larger than the session's limit.
    case messageTooBig = 1009
    /// Missing, invalid or expired token (also sent when a token expires mid-session).
    case unauthorized = 4401
    /// The page's Origin is not on the retailer's allow-list.
    case originNotAllowed = 4403
    /// No `hello` in time, or the session stayed idle too long.
    case timedOut = 4408
    /// Extension: the user already holds `sessions.maxPerUser` sessions, every one attached.
    case tooManySessions = 4409
    /// Extension: the client read too slowly and its send queue overflowed.
    case slowConsumer = 4429
    /// Extension: a first message that is not a valid `hello`, or a resume of an unknown session.
    case protocolViolation = 4400
}
