import Foundation

/// The failed logins of one client address across all user names, as a bucket that drains at
/// `LoginLimits.maxFailuresPerAddress` per `addressWindow`: a try is admitted when the bucket has
/// room for one more failure.
struct AddressBudget: ThrottleEntry {
    private(set) var levelAtUpdate = 0.0
    private(set) var lastUpdate: Date

    init(at now: Date) { lastUpdate = now }

    /// A budget as a store kept it.
    init(level: Double, at lastUpdate: Date) {
        levelAtUpdate = level
        self.lastUpdate = lastUpdate
    }

    /// The failures still held at `now`.
    func level(at now: Date, limits: LoginLimits) -> Double {
        let drained = max(0, now.timeIntervalSince(lastUpdate)) * Self.drainRate(limits)
        return max(0, levelAtUpdate - drained)
    }

    /// Seconds until the bucket has room for one more failure (0: now).
    func wait(at now: Date, limits: LoginLimits) -> TimeInterval {
        let overflow = level(at: now, limits: limits) + 1 - Double(limits.maxFailuresPerAddress)
        return overflow > 0 ? overflow / Self.drainRate(limits) : 0
    }

    /// Counts a try as a failure before its password is checked (a success takes it back).
    mutating func count(at now: Date, limits: LoginLimits) { set(level(at: now, limits: limits) + 1, at: now) }

    /// Takes back a counted try that turned out not to be a failure.
    mutating func refund(at now: Date, limits: LoginLimits) { set(max(0, level(at: now, limits: limits) - 1), at: now) }

    func isSpent(at now: Date, limits: LoginLimits) -> Bool { level(at: now, limits: limits) == 0 }

    func weight(at now: Date, limits: LoginLimits) -> Double { level(at: now, limits: limits) }

    private mutating func set(_ level: Double, at now: Date) {
        levelAtUpdate = level
        lastUpdate = now
    }

    private static func drainRate(_ limits: LoginLimits) -> Double {
        Double(limits.maxFailuresPerAddress) / max(limits.addressWindow.timeInterval, 1e-9)
    }
}
