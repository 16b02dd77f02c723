/// Why a client transaction ended without a final response.
public enum SIPTransactionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Timer F fired: no final response within 64·T1.
    case timeout
    /// The request could not be sent (no route, connection refused).
    case transport(String)
    /// The transaction layer was shut down.
    case closed

    public var description: String {
        switch self {
        case .timeout: "no final response before Timer F (timeout)"
        case .transport(let why): "transport failure: \(why)"
        case .closed: "transaction layer closed"
        }
    }
}
