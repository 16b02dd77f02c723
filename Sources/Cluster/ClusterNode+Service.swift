import Foundation
import ServiceLifecycle
import WSECore

extension ClusterNode: Service {
    /// Runs the node's part in the cluster until graceful shutdown, cancellation or ``halt()``: the connection
    /// pool, the batched writers, registration then heartbeats and the bus listener, sweeping, and the
    /// processes of sessions taken over. Rows are left as they are: its sessions stay resumable elsewhere.
    /// After ``halt()`` it returns only at the node's graceful shutdown (a service that ends early would stop
    /// the node's whole service group).
    public func run() async throws {
        let (stopped, stop) = AsyncStream.makeStream(of: Void.self)
        guard setHalt({ stop.finish() }) else {
            try? await gracefulShutdown()
            return
        }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.client.run() }
            group.addTask { await self.directoryWriter.run() }
            group.addTask { await self.journalWriter.run() }
            group.addTask {
                await withDiscardingTaskGroup { present in
                    // Present before listed: a node in the directory without its presence counts as dead.
                    let (held, markHeld) = AsyncStream.makeStream(of: Void.self)
                    present.addTask { await self.holdPresence(held: { markHeld.finish() }) }
                    for await _ in held {}
                    await self.register()
                    present.addTask { await self.beat() }
                    present.addTask { await self.bus.listen(ready: { self.markListening() }) }
                }
            }
            group.addTask { await self.sweep() }
            group.addTask { await self.moveArrivals() }
            group.addTask {
                try? await gracefulShutdown()
                stop.finish()
            }
            for await _ in stopped {}
            group.cancelAll()
        }
        directoryWriter.halt()
        journalWriter.halt()
        // Halted, not shutting down: a killed node's part stays silent until the node itself stops.
        try? await gracefulShutdown()
    }

    /// Enters this node in `cluster_node`, retrying until it succeeds (or the node stops).
    private func register() async {
        while !Task.isCancelled {
            do {
                try await directory.register(url: url, pid: Int(ProcessInfo.processInfo.processIdentifier), sessions: sessionCount)
                return
            } catch where !Task.isCancelled {
                logger.error("cluster: cannot register the node; retrying", metadata: ["wse.error": "\(String(reflecting: error))"])
                try? await configuration.clock.sleep(for: configuration.heartbeatInterval)
            } catch {
                return  // stopping
            }
        }
    }

    private func beat() async {
        while (try? await configuration.clock.sleep(for: configuration.heartbeatInterval)) != nil {
            do {
                try await directory.heartbeat(url: url, sessions: sessionCount)
            } catch where !Task.isCancelled {
                logger.warning("cluster: heartbeat failed", metadata: ["wse.error": "\(String(reflecting: error))"])
            } catch {
                return  // stopping
            }
        }
    }

    private func sweep() async {
        while (try? await configuration.clock.sleep(for: configuration.sweepInterval)) != nil {
            do {
                try await directory.sweep(resumeWindow: configuration.resumeWindow)
            } catch where !Task.isCancelled {
                logger.warning("cluster: sweeping failed", metadata: ["wse.error": "\(String(reflecting: error))"])
            } catch {
                return  // stopping
            }
        }
    }

    /// Hands each session taken over, with its processes, to the node's mediator, one at a time.
    private func moveArrivals() async {
        for await session in arrivals.stream {
            let processes = movedProcesses.withLock { $0.removeValue(forKey: session.id) } ?? []
            await bound.adopt?(session, processes)
            arriving.end(session.id)
        }
    }
}
