import ServiceLifecycle

/// A service that does nothing until the application shuts down, then runs `action`:
/// the connector uses it to end its upstream subscriptions.
struct ShutdownHook: Service {
    let action: @Sendable () async -> Void

    func run() async throws {
        try? await gracefulShutdown()
        // A cancelled group would cancel the clean-up's own HTTP calls; run it in a task of its own.
        await Task { await action() }.value
    }
}
