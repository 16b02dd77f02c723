/// How `POST /idp/token` slows password guessing down without locking the owner out
/// (docs/IDENTITY.md, "Login limits").
///
/// Failures are counted per user name and client address together: after `freeFailures`, that
/// client waits before each further try on that name, twice as long each time. Each address also
/// has a budget of failures across all names, refilled gradually. A client that has not failed is
/// never slowed by other clients' failures.
public struct LoginLimits: Sendable {
    /// Failures a client may make on one user name before it has to wait between tries.
    public var freeFailures: Int
    /// The wait after the first failure beyond `freeFailures`; it doubles with each further one.
    public var firstBackoff: Duration
    /// The longest wait between two tries of one client on one user name.
    public var maxBackoff: Duration
    /// How long after its last try a client's failures on a user name are forgotten.
    public var forgetAfter: Duration
    /// Failures a client address may make across all user names within `addressWindow` (the
    /// budget refills steadily: one failure every `addressWindow / maxFailuresPerAddress`).
    public var maxFailuresPerAddress: Int
    public var addressWindow: Duration
    /// How many (user name, client) pairs, and how many client addresses, are remembered at most.
    /// Past it the entries that weigh least (fewest failures, then stalest) are forgotten first.
    public var maxTrackedEntries: Int
    /// Logins being checked (hashing the password, or waiting for the hashing threads) at most;
    /// more are answered 503 at once rather than queued.
    public var maxPendingHashes: Int

    public init(
        freeFailures: Int = 3, firstBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(3600),
        forgetAfter: Duration = .seconds(86_400), maxFailuresPerAddress: Int = 20, addressWindow: Duration = .seconds(300),
        maxTrackedEntries: Int = 10_000, maxPendingHashes: Int = 32
    ) {
        self.freeFailures = max(0, freeFailures)
        self.firstBackoff = firstBackoff
        self.maxBackoff = maxBackoff
        self.forgetAfter = forgetAfter
        self.maxFailuresPerAddress = max(1, maxFailuresPerAddress)
        self.addressWindow = addressWindow
        self.maxTrackedEntries = max(1, maxTrackedEntries)
        self.maxPendingHashes = max(1, maxPendingHashes)
    }
}
