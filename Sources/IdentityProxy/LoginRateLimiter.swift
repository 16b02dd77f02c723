import Foundation

/// Counts failed logins per user name and per client address in a sliding window, and says
/// when a client must wait (`POST /idp/token` then answers 429 without checking the password).
actor LoginRateLimiter {
    /// Beyond this many tracked names and addresses, stale entries are dropped; if all are fresh, all are.
    static let maxTrackedKeys = 10_000

    private let limit: LoginRateLimit
    private let now: @Sendable () -> Date
    private var failures: [String: [Date]] = [:]

    init(limit: LoginRateLimit, now: @escaping @Sendable () -> Date) {
        self.limit = limit
        self.now = now
    }

    /// How long the client must wait before trying again, or nil when it may try now.
    func waitTime(user: String, address: String?) -> Duration? {
        let checks = [(Self.userKey(user), limit.maxFailuresPerUser)] + (address.map { [(Self.addressKey($0), limit.maxFailuresPerAddress)] } ?? [])
        var wait: TimeInterval?
        for (key, maximum) in checks {
            let recent = recentFailures(key)
            if recent.count >= maximum, let oldest = recent.first {
                let untilFree = oldest.timeIntervalSince(now()) + Self.seconds(limit.window)
                wait = max(wait ?? 0, untilFree)
            }
        }
        return wait.map { .seconds(max(1, Int($0.rounded(.up)))) }
    }

    func recordFailure(user: String, address: String?) {
        if failures.count >= Self.maxTrackedKeys { dropStaleEntries() }
        let time = now()
        failures[Self.userKey(user), default: []].append(time)
        if let address { failures[Self.addressKey(address), default: []].append(time) }
    }

    /// A successful login forgives the user name's failures (not the address's).
    func recordSuccess(user: String) {
        failures[Self.userKey(user)] = nil
    }

    private func recentFailures(_ key: String) -> [Date] {
        let cutoff = now().addingTimeInterval(-Self.seconds(limit.window))
        let recent = (failures[key] ?? []).filter { $0 > cutoff }
        failures[key] = recent.isEmpty ? nil : recent
        return recent
    }

    private func dropStaleEntries() {
        for key in Array(failures.keys) { _ = recentFailures(key) }
        if failures.count >= Self.maxTrackedKeys { failures.removeAll() }
    }

    private static func userKey(_ user: String) -> String { "user:" + user }
    private static func addressKey(_ address: String) -> String { "address:" + address }
    private static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds) + TimeInterval(duration.components.attoseconds) / 1e18
    }
}
