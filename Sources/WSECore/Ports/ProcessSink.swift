/// Port: where the output of one running process goes.
///
/// A process is one call of a service: a client request, or a site call made by a
/// composition. The mediator feeds it from connector OUT's answer and from connector IN;
/// the owner decides where it lands (a browser session, an Orc site call).
/// The calls arrive in order: at most one `respond`, any number of `emit`, then one `finish`.
public protocol ProcessSink: Sendable {
    /// The synchronous answer (a connector's 200), or the acknowledgement of an asynchronous call (202).
    func respond(_ data: JSONValue) async
    /// Asynchronous data for the process.
    func emit(_ data: JSONValue) async
    /// The process failed before or instead of answering.
    func fail(_ error: ServiceError) async
    /// The process is over: no more output will follow.
    func finish(_ reason: EndReason) async
}
