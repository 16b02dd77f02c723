/// Why `TokenIssuer.login` issued no token.
public enum LoginError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Unknown user or wrong password: deliberately the same answer for both.
    case invalidCredentials
    /// This client must wait after its recent failures on this user name, or from its address.
    case rateLimited(retryAfter: Duration)
    /// Every password-hashing slot is taken: the login was not queued (HTTP 503 `unavailable`).
    case busy(retryAfter: Duration)
    /// The subscriber store or the signer failed; the message says what to do.
    case unavailable(String)

    public var description: String {
        switch self {
        case .invalidCredentials: "wrong user name or password"
        case .rateLimited(let wait): "too many failed logins; retry in \(wait.components.seconds) s"
        case .busy(let wait): "too many logins are being checked; retry in \(wait.components.seconds) s"
        case .unavailable(let why): "login is unavailable: \(why)"
        }
    }
}
