import WSECore

/// The live state of one service, for the admin page and `/admin/v1` (docs/MEDIATOR.md).
public struct ServiceStatus: Sendable, Equatable, Codable {
    public var id: ServiceID
    public var kind: ServiceDefinition.Kind
    /// Processes admitted and not yet ended (sync calls waiting for their answer, open subscriptions, compositions).
    public var inFlight: Int
    public var capacity: Int?
    public var circuit: CircuitState
    public var consecutiveFailures: Int
    public var requests: Int
    public var pushes: Int
    /// Errors sent for this service, by error code.
    public var errors: [String: Int]
    /// Mean time from admission to the first answer, in milliseconds; nil before any answer.
    public var meanLatencyMilliseconds: Double?
}

/// Requests by kind across all services: the share of composed traffic the paper asks for.
public struct TrafficSummary: Sendable, Equatable, Codable {
    public var basicRequests: Int
    public var composedRequests: Int
    public var pushes: Int

    /// Composed requests over all requests, 0 when there were none.
    public var composedShare: Double {
        let total = basicRequests + composedRequests
        return total == 0 ? 0 : Double(composedRequests) / Double(total)
    }
}
