import WSECore

extension ConnectorFailure {
    /// The error the caller receives (docs/MEDIATOR.md, "Errors"). It names the service, never an
    /// address: URLs in the connector's message are withheld (the log keeps the whole failure).
    func serviceError(service: ServiceID) -> ServiceError {
        switch self {
        case .timeout:
            ServiceError(.timeout, "service \"\(service)\" did not answer in time")
        case .unreachable:
            ServiceError(.unavailable, "service \"\(service)\" cannot be reached")
        case .refused(400, _, let message):
            // The connector judged the request itself wrong: the client can fix it.
            ServiceError(.badRequest, "service \"\(service)\" refused the request: \(Self.withoutAddresses(message))")
        case .refused(403, "forbidden", let message):
            // The connector (or the data's owner behind it) does not let this user have it: not the service's fault.
            ServiceError(.forbidden, "service \"\(service)\" refused the request: \(Self.withoutAddresses(message))")
        case .refused(let status, let code, let message):
            ServiceError(.unavailable, "service \"\(service)\" refused the call (\(status)\(code.map { " \($0)" } ?? "")): \(Self.withoutAddresses(message))")
        case .malformedReply:
            ServiceError(.unavailable, "service \"\(service)\" answered something that is not the connector protocol")
        }
    }

    /// `message` with every URL (`scheme://…`) replaced, so that a connector's or its upstream's
    /// address does not reach a browser.
    static func withoutAddresses(_ message: String) -> String {
        message.replacing(#/[A-Za-z][A-Za-z0-9+.\-]*:\/\/[^\s"'<>()]*/#, with: "<address withheld>")
    }

    /// Whether the failure counts against the connector's circuit breaker: a 4xx shows a live connector.
    var isConnectorFault: Bool {
        switch self {
        case .timeout, .unreachable, .malformedReply: true
        case .refused(let status, _, _): status >= 500
        }
    }
}
