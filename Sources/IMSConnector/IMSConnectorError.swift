import SIP
import WSECore

/// A failure of one connector request, with the HTTP status and error body it becomes
/// (`{"error":{"code","message"}}`, PROTOCOL.md).
public enum IMSConnectorError: Error, Sendable, Equatable {
    /// Missing or invalid fields in the browser's data, or an unknown action.
    case badRequest(String)
    /// Wrong or missing connector key.
    case unauthorized
    /// The WSE user has no SIP credentials here, or the SIP side refused them.
    case forbidden(String)
    /// The SIP target does not exist (SIP 404), or the process is unknown.
    case notFound(String)
    /// The SIP server did not answer in time (SIP 408, Timer F).
    case timeout(String)
    /// The SIP server is unreachable or refused for another reason (503, transport errors).
    case unavailable(String)
    case configuration(String)

    public var status: Int {
        switch self {
        case .badRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .timeout: 504
        case .unavailable: 503
        case .configuration: 500
        }
    }

    public var body: HTTPErrorBody {
        switch self {
        case .badRequest(let message): HTTPErrorBody(code: ErrorCode.badRequest.rawValue, message: message)
        case .unauthorized: HTTPErrorBody(code: "unauthorized", message: "missing or wrong connector key")
        case .forbidden(let message): HTTPErrorBody(code: ErrorCode.forbidden.rawValue, message: message)
        case .notFound(let message): HTTPErrorBody(code: "not_found", message: message)
        case .timeout(let message): HTTPErrorBody(code: ErrorCode.timeout.rawValue, message: message)
        case .unavailable(let message): HTTPErrorBody(code: ErrorCode.unavailable.rawValue, message: message)
        case .configuration(let message): HTTPErrorBody(code: "configuration", message: message)
        }
    }

    /// What a SIP failure means for the browser.
    init(_ error: SIPUserAgentError, user: String, action: String) {
        let context = "\(action) for \(user)"
        switch error {
        case .authenticationFailed(let code):
            self = .forbidden("SIP authentication failed (\(code) after answering the challenge): wrong SIP credentials for \(user)")
        case .rejected(let code, let reason) where code == 403:
            self = .forbidden("\(context): SIP \(code) \(reason)")
        case .rejected(let code, let reason) where code == 404 || code == 480 || code == 481:
            self = .notFound("\(context): SIP \(code) \(reason)")
        case .rejected(let code, let reason) where code == 408:
            self = .timeout("\(context): SIP \(code) \(reason)")
        case .rejected(let code, let reason):
            self = .unavailable("\(context): SIP \(code) \(reason)")
        case .timeout:
            self = .timeout("\(context): the SIP server did not answer in time")
        case .transport(let why), .protocolError(let why):
            self = .unavailable("\(context): \(why)")
        case .notFound(let what):
            self = .notFound("\(context): \(what)")
        }
    }
}
