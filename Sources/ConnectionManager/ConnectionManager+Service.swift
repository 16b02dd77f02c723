import NIOWebSocket
import ServiceLifecycle

extension ConnectionManager: Service {
    /// Tells the mediator about every ended session (`ClientRequestHandling.sessionEnded`, each in a task
    /// of its own owned here); on graceful shutdown closes every session (see ``shutdown()``), then returns
    /// once the mediator has been told about each.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask {
                try? await gracefulShutdown()
                await self.shutdown()
                self.endedSessions.continuation.finish()
            }
            for await ended in endedSessions.stream {
                group.addTask { await ended.handler.sessionEnded(ended.id) }
            }
        }
    }

    /// Closes every connection with 1001 (going away) and ends every session; new connections are
    /// refused with 1001. Returns when all connections are closed (each drops after its close handshake,
    /// or after `closeTimeout` at the latest: its own timer) and every request and cancel task handed to the
    /// mediator has finished (no new one starts once the connections are closed).
    public func shutdown() async {
        let (links, sessions) = beginShutdown()
        logger.info("closing every session", metadata: ["wse.connections": "\(links.count)", "wse.sessions": "\(sessions.count)"])
        for session in sessions { end(session, closing: (.goingAway, "server shutting down")) }
        for link in links { link.close(.goingAway, reason: "server shutting down", endingSession: true) }
        await noConnections()
        await requestTasks.none()
    }
}
