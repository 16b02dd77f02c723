import Foundation
import Logging
import Synchronization
import WSECore

/// The login limits of a cluster: the rules of `LoginThrottle`, with the counts in the store every node
/// shares (`LoginCounterStore`), so that failures on one node slow the client down on all of them.
///
/// Each admission and settlement is one transaction on the pair's and the address's rows, which take turns
/// across nodes, so concurrent tries still see each other. Hashing slots stay per node (they guard this
/// node's CPU) and are taken first, so a flood is refused without a database round trip. Counts last
/// updated longer ago than they matter are deleted once a minute.
final class SharedLoginThrottle: LoginThrottling {
    private let store: any LoginCounterStore
    private let limits: LoginLimits
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let pendingHashes = Mutex(0)
    /// When old counts were last deleted.
    private let lastSweep = Mutex<Date?>(nil)
    static let sweepInterval: TimeInterval = 60

    init(store: any LoginCounterStore, limits: LoginLimits, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.store = store
        self.limits = limits
        self.now = now
        self.logger = logger
    }

    func admit(user: String, client: IPAddress?) async throws(LoginError) -> LoginThrottle.Ticket {
        let limits = limits
        let slot = pendingHashes.withLock { pending in
            guard pending < limits.maxPendingHashes else { return false }
            pending += 1
            return true
        }
        guard slot else { throw .busy(retryAfter: LoginThrottle.busyRetryAfter) }
        let time = now()
        await sweepIfDue(at: time)
        let wait: TimeInterval
        do {
            wait = try await store.updateLoginCounters(user: user, client: client?.description) { counters in
                // A spent streak (failures forgotten) counts as none, as in `LoginThrottle`.
                let streak = counters.pairLastUpdate
                    .map { FailureStreak(failures: counters.pairFailures, lastUpdate: $0) }
                    .flatMap { $0.isSpent(at: time, limits: limits) ? nil : $0 }
                let budget = counters.addressLastUpdate.map { AddressBudget(level: counters.addressLevel, at: $0) }
                var wait = streak?.wait(at: time, limits: limits) ?? 0
                if client != nil, let budget { wait = max(wait, budget.wait(at: time, limits: limits)) }
                guard wait <= 0 else { return wait }
                var counted = streak ?? FailureStreak(at: time)
                counted.count(at: time)
                counters.pairFailures = counted.failures
                counters.pairLastUpdate = counted.lastUpdate
                if client != nil {
                    var drained = budget ?? AddressBudget(at: time)
                    drained.count(at: time, limits: limits)
                    counters.addressLevel = drained.levelAtUpdate
                    counters.addressLastUpdate = drained.lastUpdate
                }
                return 0
            }
        } catch {
            releaseSlot()
            logger.error("login counters unavailable", metadata: ["error": "\(error)"])
            throw .unavailable("the login counters cannot be read: \(error)")
        }
        guard wait <= 0 else {
            releaseSlot()
            throw .rateLimited(retryAfter: .seconds(max(1, Int(wait.rounded(.up)))))
        }
        return LoginThrottle.Ticket(pair: .init(user: user, client: client))
    }

    func settle(_ ticket: LoginThrottle.Ticket, as outcome: LoginThrottle.Outcome) async {
        releaseSlot()
        guard outcome != .failed else { return }
        let limits = limits
        let time = now()
        do {
            try await store.updateLoginCounters(user: ticket.pair.user, client: ticket.pair.client?.description) { counters in
                if outcome == .succeeded {
                    counters.pairFailures = 0
                } else {
                    counters.pairFailures = max(0, counters.pairFailures - 1)
                }
                if let lastUpdate = counters.addressLastUpdate {
                    var budget = AddressBudget(level: counters.addressLevel, at: lastUpdate)
                    budget.refund(at: time, limits: limits)
                    counters.addressLevel = budget.levelAtUpdate
                    counters.addressLastUpdate = budget.lastUpdate
                }
            }
        } catch {
            // The try stays counted as a failure: the safe side when the store is away.
            logger.error("login counters could not be settled", metadata: ["error": "\(error)"])
        }
    }

    private func releaseSlot() {
        pendingHashes.withLock { $0 -= 1 }
    }

    /// Deletes counts that no longer limit anything, at most once per `sweepInterval` across this node's logins.
    private func sweepIfDue(at time: Date) async {
        let due = lastSweep.withLock { last in
            guard last.map({ time.timeIntervalSince($0) >= Self.sweepInterval }) ?? true else { return false }
            last = time
            return true
        }
        guard due else { return }
        let keep = max(limits.forgetAfter.timeInterval, limits.addressWindow.timeInterval)
        do {
            try await store.forgetLoginCounters(updatedBefore: time.addingTimeInterval(-keep))
        } catch {
            logger.warning("old login counters could not be deleted", metadata: ["error": "\(error)"])
        }
    }
}
