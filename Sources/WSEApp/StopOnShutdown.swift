import ServiceLifecycle

/// Runs `stop` when the service group shuts down: for parts of a node or the demo that are started
/// and stopped by hand rather than run as a `Service` (running compositions, the presence server of the demo and of `wse ims`, the IMS connector).
public struct StopOnShutdown: Service {
    let stop: @Sendable () async -> Void

    public init(_ stop: @escaping @Sendable () async -> Void) { self.stop = stop }

    public func run() async throws {
        try? await gracefulShutdown()
        await stop()
    }
}
