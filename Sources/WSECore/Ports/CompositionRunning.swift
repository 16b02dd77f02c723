/// Port: runs composed services. Implemented by the orchestrator; the mediator calls it
/// for services of kind `composed`.
///
/// A reference type owned by whoever wires the node: the mediator holds it weakly, since the
/// orchestrator holds the mediator (its `ServiceInvoking`).
public protocol CompositionRunning: AnyObject, Sendable {
    /// Starts the composition: every publication goes to `sink.emit`, and `sink.finish` when it halts.
    func start(composition: String, pid: ProcessID, action: String, data: JSONValue, for principal: Principal, sink: any ProcessSink)
        async throws(ServiceError)
    /// Kills a running composition.
    func cancel(pid: ProcessID) async
}
