import WSECore

extension ConnectorFailure {
    /// The error the caller receives (docs/MEDIATOR.md, "Errors").
    func serviceError(service: ServiceID) -> ServiceError {
        switch self {
        case .timeout:
            ServiceError(.timeout, "service \"\(service)\" did not answer in time")
        case .unreachable:
            ServiceError(.unavailable, "service \"\(service)\" cannot be reached")
        case .refused(400, _, let message):
            // The connector judged the request itself wrong: the client can fix it.
            ServiceError(.badRequest, message)
        case .refused(let status, let code, let message):
            ServiceError(.unavailable, "service \"\(service)\" refused the call (\(status)\(code.map { " \($0)" } ?? "")): \(message)")
        case .malformedReply:
            ServiceError(.unavailable, "service \"\(service)\" answered something that is not the connector protocol")
        }
    }

    /// Whether the failure counts against the connector's circuit breaker: a 4xx shows a live connector.
    var isConnectorFault: Bool {
        switch self {
        case .timeout, .unreachable, .malformedReply: true
        case .refused(let status, _, _): status >= 500
        }
    }
}
