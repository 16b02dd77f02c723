/// Port: starts a service call on behalf of a user, with its output going to any sink.
/// Implemented by the mediator; used by the orchestrator, whose compositions call WSE services as Orc sites.
public protocol ServiceInvoking: Sendable {
    /// Applies the service's access rule, capacity and alternatives, then starts the call.
    /// - Returns: the process id.
    func invoke(service: ServiceID, action: String, data: JSONValue, for principal: Principal, sink: any ProcessSink)
        async throws(ServiceError) -> ProcessID
    /// Stops a running call (the connector is told; the sink gets `finish(.cancelled)`).
    func cancel(pid: ProcessID) async
}
