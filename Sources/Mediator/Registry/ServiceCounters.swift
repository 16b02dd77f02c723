import Metrics
import Synchronization
import WSECore

/// Where a push reached: a browser process, a composition's site call, or every session of a user.
enum PushRoute: String, Sendable, CaseIterable {
    case session
    case composition
    case user
}

/// The traffic figures of one service: exported through swift-metrics and kept as numbers for the admin page.
///
/// Shared by the registry entry and the running processes of the service, so that counting a push
/// needs no hop to the registry actor. Metric names are listed in docs/MEDIATOR.md.
final class ServiceCounters: Sendable {
    struct Numbers: Sendable, Equatable {
        var requests = 0
        var pushes = 0
        var errors: [ErrorCode: Int] = [:]
        var answered = 0
        var totalLatency = Duration.zero
    }

    let serviceID: ServiceID
    private let numbers = Mutex(Numbers())
    private let requestCounter: Counter
    private let pushCounters: [PushRoute: Counter]
    private let latencyTimer: Timer
    private let inFlightGauge: Gauge

    init(serviceID: ServiceID, kind: ServiceDefinition.Kind) {
        self.serviceID = serviceID
        requestCounter = Counter(label: "wse_service_requests_total", dimensions: [("service", serviceID.rawValue), ("kind", kind.rawValue)])
        pushCounters = Dictionary(uniqueKeysWithValues: PushRoute.allCases.map { route in
            (route, Counter(label: "wse_service_pushes_total", dimensions: [("service", serviceID.rawValue), ("kind", kind.rawValue), ("via", route.rawValue)]))
        })
        latencyTimer = Timer(label: "wse_service_latency_seconds", dimensions: [("service", serviceID.rawValue)], preferredDisplayUnit: .seconds)
        inFlightGauge = Gauge(label: "wse_service_in_flight", dimensions: [("service", serviceID.rawValue)])
    }

    var snapshot: Numbers { numbers.withLock { $0 } }

    func recordRequest() {
        numbers.withLock { $0.requests += 1 }
        requestCounter.increment()
    }

    func recordPush(via route: PushRoute) {
        numbers.withLock { $0.pushes += 1 }
        pushCounters[route]?.increment()
    }

    func recordError(_ code: ErrorCode) {
        numbers.withLock { $0.errors[code, default: 0] += 1 }
        Counter(label: "wse_service_errors_total", dimensions: [("service", serviceID.rawValue), ("code", code.rawValue)]).increment()
    }

    /// The time from admission to the first answer (a connector's 200 or 202, or a composition's start).
    func recordLatency(_ latency: Duration) {
        numbers.withLock {
            $0.answered += 1
            $0.totalLatency += latency
        }
        let (seconds, attoseconds) = latency.components
        latencyTimer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    func recordInFlight(_ count: Int) {
        inFlightGauge.record(count)
    }
}
