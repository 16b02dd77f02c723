/// Why `TokenIssuer.login` issued no token.
public enum LoginError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Unknown user or wrong password: deliberately the same answer for both.
    case invalidCredentials
    /// Too many recent failures for this user name or client address.
    case rateLimited(retryAfter: Duration)
    /// The subscriber store or the signer failed; the message says what to do.
    case unavailable(String)

    public var description: String {
        switch self {
        case .invalidCredentials: "wrong user name or password"
        case .rateLimited(let wait): "too many failed logins; retry in \(wait.components.seconds) s"
        case .unavailable(let why): "login is unavailable: \(why)"
        }
    }
}
