import ServiceLifecycle

/// A service that does nothing until its group shuts down, then runs `action` to the end.
///
/// For parts that are started and stopped by hand rather than run as a `Service` of their own:
/// a node's running compositions, the demo's presence server and IMS connector, the REST
/// connector's upstream subscriptions. Put it in the group so that it stops where the action
/// belongs (a group stops its services in reverse order).
public struct ShutdownHook: Service {
    let action: @Sendable () async -> Void

    public init(_ action: @escaping @Sendable () async -> Void) { self.action = action }

    public func run() async throws {
        try? await gracefulShutdown()
        // A cancelled group cancels this task too, and with it the action's own work (HTTP calls,
        // SIP un-registrations); an unstructured task of its own lets the clean-up finish, and is awaited.
        await Task { await action() }.value
    }
}
