import ServiceLifecycle

/// Runs `stop` when the service group shuts down: for parts of a node or the demo that are started
/// and stopped by hand rather than run as a `Service` (running compositions, the presence server, the IMS connector).
struct StopOnShutdown: Service {
    let stop: @Sendable () async -> Void

    func run() async throws {
        try? await gracefulShutdown()
        await stop()
    }
}
