import Foundation

/// The login limits of one node, counted in its memory (bounded tables).
///
/// `admit` counts the try as a failure of its (user name, client) pair and of its client address
/// and takes a hashing slot, all in one actor step, so concurrent tries see each other; `settle`
/// then turns it into what it was. Every admitted ticket must be settled exactly once.
actor LoginThrottle: LoginThrottling {
    /// Who tries: a user name from a client (nil when the client address is unknown).
    struct Pair: Hashable, Sendable {
        let user: String
        let client: IPAddress?
    }

    /// An admitted login, to be settled.
    struct Ticket: Sendable {
        let pair: Pair
    }

    /// What an admitted login turned out to be.
    enum Outcome: Sendable {
        case succeeded
        case failed
        /// The password could not be checked (store or hasher failure): not the client's failure.
        case notChecked
    }

    /// Retry-After of a 503 when every hashing slot is taken.
    static let busyRetryAfter = Duration.seconds(1)

    private let limits: LoginLimits
    private let now: @Sendable () -> Date
    private var streaks = ThrottleTable<Pair, FailureStreak>()
    private var budgets = ThrottleTable<IPAddress, AddressBudget>()
    private var pendingHashes = 0

    init(limits: LoginLimits, now: @escaping @Sendable () -> Date) {
        self.limits = limits
        self.now = now
    }

    /// Admits a login and counts it as a failure until settled.
    /// - Parameter client: the client's address, already reduced to `IPAddress.clientNetwork`.
    /// - Throws: `.rateLimited` while the pair or the address must wait; `.busy` when all hashing slots are taken.
    func admit(user: String, client: IPAddress?) throws(LoginError) -> Ticket {
        let time = now()
        let pair = Pair(user: user, client: client)
        var wait = streaks[pair].map { $0.isSpent(at: time, limits: limits) ? 0 : $0.wait(at: time, limits: limits) } ?? 0
        if let client, let budget = budgets[client] { wait = max(wait, budget.wait(at: time, limits: limits)) }
        guard wait <= 0 else { throw .rateLimited(retryAfter: .seconds(max(1, Int(wait.rounded(.up))))) }
        guard pendingHashes < limits.maxPendingHashes else { throw .busy(retryAfter: Self.busyRetryAfter) }

        pendingHashes += 1
        streaks.update(pair, at: time, limits: limits) { streak in
            if streak.isSpent(at: time, limits: limits) { streak = FailureStreak(at: time) }
            streak.count(at: time)
        }
        if let client { budgets.update(client, at: time, limits: limits) { $0.count(at: time, limits: limits) } }
        return Ticket(pair: pair)
    }

    /// Settles an admitted login: a success forgets the pair's failures and takes back the
    /// address's count; a failure stays counted; an unchecked try is taken back from both.
    func settle(_ ticket: Ticket, as outcome: Outcome) {
        pendingHashes -= 1
        let time = now()
        switch outcome {
        case .failed:
            return
        case .succeeded:
            streaks.remove(ticket.pair)
        case .notChecked:
            streaks.updateIfPresent(ticket.pair) { $0.refund() }
        }
        if let client = ticket.pair.client {
            budgets.updateIfPresent(client) { $0.refund(at: time, limits: limits) }
        }
    }

    /// How many pairs and addresses are remembered (bounded by `LoginLimits.maxTrackedEntries` each).
    var trackedEntries: (pairs: Int, addresses: Int) { (streaks.count, budgets.count) }
}
