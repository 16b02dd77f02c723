/// A process as the cluster's process directory keeps it: which node's connector IN pushes go to, and what a
/// session that moves to another node takes with it.
public struct DirectoryProcess: Sendable, Hashable {
    public var pid: ProcessID
    /// The browser session that started it; nil for a composition's site call.
    public var session: SessionID?
    public var user: UserName
    /// The service the client named (events carry it).
    public var requestedService: ServiceID
    /// The service that serves the call: the requested one or an alternative.
    public var servingService: ServiceID
    /// A composition runs on its node and cannot move with its session.
    public var composed: Bool

    public init(pid: ProcessID, session: SessionID?, user: UserName, requestedService: ServiceID, servingService: ServiceID, composed: Bool) {
        self.pid = pid
        self.session = session
        self.user = user
        self.requestedService = requestedService
        self.servingService = servingService
        self.composed = composed
    }
}

/// Port: the cluster's shared process table (pid → node). Implemented by the Cluster target; the mediator
/// records each process there before its connector is called, so a push to any node's connector IN finds it.
/// Nil on a node that runs alone: it then costs nothing.
public protocol ProcessDirectory: Sendable {
    /// Returns once the entry is stored (the connector may push as soon as it is called).
    func processStarted(_ process: DirectoryProcess) async
    /// The process is over; never blocks (the entry goes with the next batch).
    func processEnded(_ pid: ProcessID)
}
