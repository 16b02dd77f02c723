/// Decides, before a password is hashed, whether a login may be checked now (docs/IDENTITY.md,
/// "Login limits"), and counts it at once: `LoginThrottle` in the node's memory, `SharedLoginThrottle`
/// in the store a cluster shares.
protocol LoginThrottling: Sendable {
    /// Admits a login and counts it as a failure until settled.
    /// - Parameter client: the client's address, already reduced to `IPAddress.clientNetwork`.
    /// - Throws: `.rateLimited` while the pair or the address must wait; `.busy` when all hashing slots are taken.
    func admit(user: String, client: IPAddress?) async throws(LoginError) -> LoginThrottle.Ticket
    /// Settles an admitted login: a success forgets the pair's failures and takes back the
    /// address's count; a failure stays counted; an unchecked try is taken back from both.
    func settle(_ ticket: LoginThrottle.Ticket, as outcome: LoginThrottle.Outcome) async
}
