import NIOWebSocket
import ServiceLifecycle

extension ConnectionManager: Service {
    /// Waits for the service group's graceful shutdown, then closes every session (see ``shutdown()``).
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Closes every connection with 1001 (going away) and ends every session; new connections are
    /// refused with 1001. Returns when all connections are closed, or after `closeTimeout` at most.
    public func shutdown() async {
        let (links, sessions) = beginShutdown()
        logger.info("closing every session", metadata: ["wse.connections": "\(links.count)", "wse.sessions": "\(sessions.count)"])
        for session in sessions { end(session, closing: (.goingAway, "server shutting down")) }
        for link in links { link.close(.goingAway, reason: "server shutting down", endingSession: true) }
        // Each connection drops after its close handshake, or after closeTimeout at the latest.
        let deadline = ContinuousClock.now + configuration.closeTimeout + .milliseconds(500)
        while connectionCount > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
