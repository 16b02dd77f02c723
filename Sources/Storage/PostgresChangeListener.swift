import Logging
import PostgresNIO
import Synchronization
import WSECore

/// Listens for the changes every node announces (`NOTIFY wse_change`) on a connection of its own, and hands
/// them to the store's subscribers. When the connection is lost it connects and listens again, at once and
/// then with a growing pause while that fails; each time it listens again it first reports
/// `StoreChange.everything`, since notifications sent meanwhile were missed.
final class PostgresChangeListener: Sendable {
    /// Pauses between attempts to listen again, after the first immediate one.
    struct Backoff: Sendable {
        var first: Duration = .milliseconds(100)
        var longest: Duration = .seconds(5)

        /// The pause after `failures` failed attempts in a row (none after the first loss).
        func pause(afterFailures failures: Int) -> Duration {
            guard failures > 0 else { return .zero }
            return min(longest, first * (1 << min(failures - 1, 16)))
        }
    }

    let target: PostgresURL
    let broadcaster: ChangeBroadcaster
    let backoff: Backoff
    let logger: Logger
    private let listening = Atomic(false)

    init(target: PostgresURL, broadcaster: ChangeBroadcaster, backoff: Backoff = .init(), logger: Logger) {
        self.target = target
        self.broadcaster = broadcaster
        self.backoff = backoff
        self.logger = logger
    }

    /// Whether a LISTEN is in force now.
    var isListening: Bool { listening.load(ordering: .relaxed) }

    /// Listens until cancelled.
    func run() async {
        var failures = 0
        while !Task.isCancelled {
            var listened = false
            var failure: (any Error)?
            do {
                try await listen { listened = true }
            } catch {
                failure = error
            }
            guard !Task.isCancelled else { return }
            // A connection that listened and was then lost is tried again at once; failed attempts back off.
            failures = listened ? 0 : failures + 1
            logger.warning(
                listened ? "lost the change feed's connection; listening again" : "the change feed cannot listen; trying again",
                metadata: ["wse.database": "\(target)", "error": "\(failure.map { "\($0)" } ?? "closed")"])
            do {
                try await Task.sleep(for: backoff.pause(afterFailures: failures))
            } catch {
                return
            }
        }
    }

    /// One connection: LISTEN, report `everything`, then every notification until the connection ends.
    private func listen(onListening: () -> Void) async throws {
        let connection = try await PostgresConnection.connect(configuration: target.connectionConfiguration, id: 1, logger: logger)
        do {
            try await connection.listen(on: StoreChange.notificationChannel) { notifications in
                onListening()
                listening.store(true, ordering: .relaxed)
                defer { listening.store(false, ordering: .relaxed) }
                broadcaster.publish(.everything)
                for try await notification in notifications {
                    broadcaster.publish(StoreChange(notificationPayload: notification.payload))
                }
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }
}
