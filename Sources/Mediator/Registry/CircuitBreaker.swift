/// The state of a service's circuit breaker, as the admin page shows it.
public enum CircuitState: String, Sendable, Codable {
    /// Calls go through.
    case closed
    /// The connector failed too often: calls are refused until the cool-down has passed.
    case open
    /// The cool-down has passed: one trial call may go; its outcome closes or re-opens the circuit.
    case halfOpen = "half_open"
}

/// Counts consecutive connector failures of one service and decides whether a call may go.
///
/// Closed → (threshold consecutive failures) → open → (cool-down) → half-open, where exactly one
/// trial call is let through: success closes the circuit, failure opens it for another cool-down.
struct CircuitBreaker: Sendable {
    let threshold: Int
    let coolDown: Duration
    private(set) var consecutiveFailures = 0
    private var openedAt: ContinuousClock.Instant?
    private var trialInFlight = false

    init(threshold: Int, coolDown: Duration) {
        self.threshold = threshold
        self.coolDown = coolDown
    }

    func state(at now: ContinuousClock.Instant) -> CircuitState {
        guard let openedAt else { return .closed }
        return now - openedAt >= coolDown ? .halfOpen : .open
    }

    /// Whether a call may go now. In half-open state this reserves the single trial call.
    /// - Returns: nil when refused, else whether the call is the trial.
    mutating func admit(at now: ContinuousClock.Instant) -> Bool? {
        switch state(at: now) {
        case .closed: return false
        case .open: return nil
        case .halfOpen:
            if trialInFlight { return nil }
            trialInFlight = true
            return true
        }
    }

    /// The connector answered (any answer that shows it alive, including a 4xx refusal).
    mutating func recordSuccess() {
        consecutiveFailures = 0
        openedAt = nil
        trialInFlight = false
    }

    /// The connector timed out, was unreachable, answered 5xx or garbage.
    mutating func recordFailure(at now: ContinuousClock.Instant) {
        consecutiveFailures += 1
        trialInFlight = false
        if openedAt != nil || consecutiveFailures >= threshold { openedAt = now }
    }

    /// The trial call ended without an outcome (cancelled): the next call may try again.
    mutating func abandonTrial() {
        trialInFlight = false
    }
}
