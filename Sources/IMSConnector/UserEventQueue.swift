import Logging
import Metrics
import SIP
import Synchronization

/// One user's events on their way to connector IN, in the order its agent reported them, bounded:
/// when connector IN is slower than SIP, the oldest waiting event is dropped (the latest presence
/// survives), counted in `wse_ims_connector_events_dropped_total` and logged as an error.
final class UserEventQueue: Sendable {
    let user: String
    let events: AsyncStream<SIPUserAgentEvent>
    private let continuation: AsyncStream<SIPUserAgentEvent>.Continuation
    private let limit: Int
    /// Dropped since the consumer last reported it.
    private let droppedSinceReport = Atomic(0)
    private let dropped: Counter
    private let logger: Logger

    init(user: String, limit: Int, metricsFactory: any MetricsFactory, logger: Logger) {
        self.user = user
        self.limit = limit
        self.logger = logger
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(limit))
        dropped = Counter(label: "wse_ims_connector_events_dropped_total", dimensions: [("user", user)], factory: metricsFactory)
    }

    func push(_ event: SIPUserAgentEvent) {
        guard case .dropped = continuation.yield(event) else { return }
        dropped.increment()
        // The first drop of a burst is told at once; the count when the consumer next moves.
        if droppedSinceReport.add(1, ordering: .relaxed).oldValue == 0 {
            logger.error("event queue to connector IN full: dropping the oldest events",
                         metadata: ["user": "\(user)", "limit": "\(limit)"])
        }
    }

    func finish() { continuation.finish() }

    /// Delivers every event in order until the queue is finished.
    func deliver(with deliver: (SIPUserAgentEvent) async -> Void) async {
        for await event in events {
            reportDrops()
            await deliver(event)
        }
        reportDrops()
    }

    private func reportDrops() {
        let count = droppedSinceReport.exchange(0, ordering: .relaxed)
        guard count > 0 else { return }
        logger.error("events for a user dropped: connector IN was too slow",
                     metadata: ["user": "\(user)", "dropped": "\(count)", "limit": "\(limit)"])
    }
}
