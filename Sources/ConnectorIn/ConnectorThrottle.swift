import Synchronization

/// One token bucket per connector key: a push takes a token; tokens come back at `rate.perSecond`.
///
/// A lock rather than an actor: each check is a few arithmetic operations on the request path.
final class ConnectorThrottle: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let rate: PushRate
    private let now: @Sendable () -> ContinuousClock.Instant
    private let buckets = Mutex<[String: Bucket]>([:])

    init(rate: PushRate, now: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.rate = rate
        self.now = now
    }

    /// Takes a token for `key`.
    /// - Returns: nil when the push may go, else how long until the next token.
    func take(_ key: String) -> Duration? {
        let (granted, wait) = take(key, count: 1)
        return granted == 1 ? nil : wait
    }

    /// Takes up to `count` tokens for `key` (the rest of a batch).
    /// - Returns: how many were taken.
    func take(_ key: String, upTo count: Int) -> Int {
        take(key, count: count).granted
    }

    /// Takes as many of `count` tokens as there are; `wait` is how long until the next token.
    private func take(_ key: String, count: Int) -> (granted: Int, wait: Duration) {
        let instant = now()
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: rate.burst, updated: instant)
            let elapsed = instant - bucket.updated
            let refill = (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * rate.perSecond
            bucket.tokens = min(rate.burst, bucket.tokens + refill)
            bucket.updated = instant
            let granted = min(count, Int(bucket.tokens.rounded(.down)))
            bucket.tokens -= Double(granted)
            buckets[key] = bucket
            return (granted, .seconds((1 - bucket.tokens) / rate.perSecond))
        }
    }
}
