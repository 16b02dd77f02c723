import Foundation

/// The failed logins of one client on one user name since its last success. After
/// `LoginLimits.freeFailures` of them, each further try must wait twice as long as the one before.
struct FailureStreak: ThrottleEntry {
    /// Tries counted as failures, including those still being checked.
    private(set) var failures = 0
    private(set) var lastUpdate: Date

    init(at now: Date) { lastUpdate = now }

    /// A streak as a store kept it.
    init(failures: Int, lastUpdate: Date) {
        self.failures = failures
        self.lastUpdate = lastUpdate
    }

    /// Seconds until the client may try again (0: now).
    func wait(at now: Date, limits: LoginLimits) -> TimeInterval {
        guard failures >= limits.freeFailures else { return 0 }
        let doublings = Double(failures - limits.freeFailures)
        let backoff = min(limits.maxBackoff.timeInterval, limits.firstBackoff.timeInterval * pow(2, doublings))
        return max(0, lastUpdate.addingTimeInterval(backoff).timeIntervalSince(now))
    }

    /// Counts a try as a failure before its password is checked (a success takes it back).
    mutating func count(at now: Date) {
        failures += 1
        lastUpdate = now
    }

    /// Takes back a counted try whose password could not be checked.
    mutating func refund() { failures = max(0, failures - 1) }

    func isSpent(at now: Date, limits: LoginLimits) -> Bool {
        failures == 0 || now.timeIntervalSince(lastUpdate) >= limits.forgetAfter.timeInterval
    }

    func weight(at now: Date, limits: LoginLimits) -> Double { Double(failures) }
}
