/// Why a user-agent operation failed, in terms a connector can map to HTTP errors.
public enum SIPUserAgentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with this final status (403, 404, 489, 503, …).
    case rejected(statusCode: Int, reason: String)
    /// Credentials were refused: the server challenged again after we answered (wrong password).
    case authenticationFailed(statusCode: Int)
    /// No final response in time (Timer F): the server is unreachable or silent.
    case timeout
    case transport(String)
    /// The operation needs state that does not exist (unsubscribe without subscription, …).
    case notFound(String)
    /// The answer was not usable (missing ETag, bad challenge).
    case protocolError(String)

    public var description: String {
        switch self {
        case .rejected(let code, let reason): "SIP \(code) \(reason)"
        case .authenticationFailed(let code): "authentication failed (SIP \(code) after answering the challenge: wrong credentials)"
        case .timeout: "no answer from the SIP server (timeout)"
        case .transport(let why): "SIP transport failure: \(why)"
        case .notFound(let what): what
        case .protocolError(let why): "SIP protocol error: \(why)"
        }
    }
}
