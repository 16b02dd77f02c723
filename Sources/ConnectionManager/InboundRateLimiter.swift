import NIOCore

/// A token bucket for the messages one connection sends; counts refusals in a row.
struct InboundRateLimiter {
    private let ratePerNanosecond: Double
    private let burst: Double
    private var tokens: Double
    private var updatedAt: NIODeadline
    /// Refused messages since the last accepted one.
    private(set) var strikes = 0

    init(messagesPerSecond: Double, burst: Double, now: NIODeadline) {
        self.ratePerNanosecond = messagesPerSecond / 1e9
        self.burst = max(1, burst)
        self.tokens = max(1, burst)
        self.updatedAt = now
    }

    /// Takes one token; false when the client is over its rate.
    mutating func admit(now: NIODeadline) -> Bool {
        let elapsed = Double((now - updatedAt).nanoseconds)
        tokens = min(burst, tokens + elapsed * ratePerNanosecond)
        updatedAt = now
        if tokens >= 1 {
            tokens -= 1
            strikes = 0
            return true
        }
        strikes += 1
        return false
    }
}
