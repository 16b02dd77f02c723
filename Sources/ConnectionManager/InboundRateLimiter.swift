import NIOCore

/// A token bucket for the messages one connection sends; counts refusals in a row.
///
/// The rate itself is shared by every connection (``SessionLimits``) and passed in, so each connection
/// stores only its bucket.
struct InboundRateLimiter {
    /// The steady rate and the burst above it.
    struct Rate: Sendable {
        let perNanosecond: Double
        let burst: Double

        init(messagesPerSecond: Double, burst: Double) {
            self.perNanosecond = messagesPerSecond / 1e9
            self.burst = max(1, burst)
        }
    }

    private var tokens: Double
    private var updatedAt: NIODeadline
    /// Refused messages since the last accepted one.
    private(set) var strikes = 0

    /// A full bucket.
    init(_ rate: Rate, now: NIODeadline) {
        self.tokens = rate.burst
        self.updatedAt = now
    }

    /// Takes one token; false when the client is over its rate.
    mutating func admit(now: NIODeadline, rate: Rate) -> Bool {
        let elapsed = Double((now - updatedAt).nanoseconds)
        tokens = min(rate.burst, tokens + elapsed * rate.perNanosecond)
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
