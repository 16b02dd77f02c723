import Logging
import PostgresNIO

extension ClusterNode {
    /// Holds this node's presence lock (``ClusterDirectory/takePresence(on:)``) on a connection of its own, outside
    /// the pool (a pooled connection would keep the lock after the node let it go), until cancelled. A lost connection
    /// is replaced, and a lock held elsewhere tried again, after `retryDelay`. `held` is called once, when the lock is
    /// first held or the task is cancelled.
    func holdPresence(retryDelay: Duration = .seconds(1), held: @Sendable () -> Void) async {
        var announced = false
        defer { if !announced { held() } }
        let database = configuration.database
        let connectionConfiguration = PostgresConnection.Configuration(
            host: database.host, port: database.port, username: database.username, password: database.password, database: database.database,
            tls: .disable)
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(configuration: connectionConfiguration, id: 0, logger: logger)
                let taken: Bool
                do {
                    taken = try await directory.takePresence(on: connection)
                } catch {
                    try? await connection.close()
                    throw error
                }
                if taken {
                    if !announced {
                        announced = true
                        held()
                    }
                    // Until the connection is lost, or the node stops and closes it (which releases the lock).
                    try? await withTaskCancellationHandler {
                        try await connection.closeFuture.get()
                    } onCancel: {
                        connection.close().whenComplete { _ in }
                    }
                } else {
                    try? await connection.close()
                    logger.error("cluster: another process holds this node's id in PostgreSQL; retrying", metadata: ["wse.node": "\(id)"])
                    try await configuration.clock.sleep(for: retryDelay)
                }
            } catch where !Task.isCancelled {
                logger.warning("cluster: cannot hold the node's presence; retrying", metadata: ["wse.error": "\(String(reflecting: error))"])
                try? await configuration.clock.sleep(for: retryDelay)
            } catch {
                return  // stopping
            }
        }
    }

    /// Whether `other` could answer over the bus: its heartbeat is fresh (`alive`) and its process is present. One
    /// known dead is not asked (the answer would never come, and the asker would wait for its deadline).
    func canAnswer(_ other: String, alive: Bool) async -> Bool {
        guard alive else { return false }
        do {
            return try await directory.isPresent(other)
        } catch {
            return true  // unknown: ask, and wait for its answer or the deadline
        }
    }
}
