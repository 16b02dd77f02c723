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
/// needs no hop to the registry actor. Every metric handle is made once, from the factory given; an
/// error code's counter when that code first occurs, so that the export lists no code never sent.
/// Metric names are listed in docs/MEDIATOR.md.
final class ServiceCounters: Sendable {
    struct Numbers: Sendable, Equatable {
        var requests = 0
        var pushes = 0
        var errors: [ErrorCode: Int] = [:]
        var answered = 0
        var totalLatency = Duration.zero
    }

    private struct State {
        var numbers = Numbers()
        var errorCounters: [ErrorCode: Counter] = [:]
    }

    let serviceID: ServiceID
    private let state = Mutex(State())
    private let factory: any MetricsFactory
    private let requestCounter: Counter
    private let pushCounters: [PushRoute: Counter]
    private let latencyTimer: Timer
    private let inFlightGauge: Gauge

    init(serviceID: ServiceID, kind: ServiceDefinition.Kind, factory: any MetricsFactory) {
        self.serviceID = serviceID
        self.factory = factory
        let service = ("service", serviceID.rawValue)
        requestCounter = Counter(label: "wse_service_requests_total", dimensions: [service, ("kind", kind.rawValue)], factory: factory)
        pushCounters = Dictionary(uniqueKeysWithValues: PushRoute.allCases.map { route in
            let dimensions = [service, ("kind", kind.rawValue), ("via", route.rawValue)]
            return (route, Counter(label: "wse_service_pushes_total", dimensions: dimensions, factory: factory))
        })
        latencyTimer = Timer(label: "wse_service_latency_seconds", dimensions: [service], preferredDisplayUnit: .seconds, factory: factory)
        inFlightGauge = Gauge(label: "wse_service_in_flight", dimensions: [service], factory: factory)
    }

    var snapshot: Numbers { state.withLock { $0.numbers } }

    func recordRequest() {
        state.withLock { $0.numbers.requests += 1 }
        requestCounter.increment()
    }

    func recordPush(via route: PushRoute) {
        state.withLock { $0.numbers.pushes += 1 }
        pushCounters[route]?.increment()
    }

    func recordError(_ code: ErrorCode) {
        let counter = state.withLock { state in
            state.numbers.errors[code, default: 0] += 1
            if let counter = state.errorCounters[code] { return counter }
            let counter = Counter(
                label: "wse_service_errors_total", dimensions: [("service", serviceID.rawValue), ("code", code.rawValue)], factory: factory)
            state.errorCounters[code] = counter
            return counter
        }
        counter.increment()
    }

    /// The time from admission to the first answer (a connector's 200 or 202, or a composition's start).
    func recordLatency(_ latency: Duration) {
        state.withLock {
            $0.numbers.answered += 1
            $0.numbers.totalLatency += latency
        }
        let (seconds, attoseconds) = latency.components
        latencyTimer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    func recordInFlight(_ count: Int) {
        inFlightGauge.record(count)
    }
}
