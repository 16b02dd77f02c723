import Logging
import Metrics
import Synchronization
import WSECore

/// The services this node offers: their definitions (persisted through the `ServiceStore` port) and
/// their live state (calls in flight, circuit breaker, traffic counters).
///
/// The admin API uses `list`, `get`, `put` and `delete`; the `Mediator` asks it to admit each call
/// (access rule, capacity, circuit, alternatives) and reports each call's end and outcome.
public actor ServiceRegistry {
    struct Entry {
        var definition: ServiceDefinition
        var breaker: CircuitBreaker
        var inFlight = 0
        var counters: ServiceCounters
    }

    /// A stored definition that `load` refused, with the reason.
    public struct Rejection: Sendable, Equatable {
        public var id: ServiceID
        public var reason: String
    }

    let store: any ServiceStore
    let breakerThreshold: Int
    let breakerCoolDown: Duration
    let now: @Sendable () -> ContinuousClock.Instant
    private let metrics: any MetricsFactory
    private let logger: Logger
    var entries: [ServiceID: Entry] = [:]
    /// Connector key → the basic services that share it. Behind a lock, outside the actor: every push through
    /// connector IN looks its key up first, and a flood of wrong keys must not queue behind the registry's work.
    private let servicesByKey = Mutex<[String: Set<ServiceID>]>([:])
    /// A `put` or `delete` is between its check and its store write; others wait in `waitingChanges`, so
    /// that a failed write can undo its own change without undoing a later one.
    private var changing = false
    private(set) var waitingChanges: [CheckedContinuation<Void, Never>] = []

    public init(store: any ServiceStore, configuration: MediatorConfiguration, logger: Logger = Logger(label: "wse.registry")) {
        self.store = store
        self.breakerThreshold = configuration.breakerThreshold
        self.breakerCoolDown = configuration.breakerCoolDown
        self.now = configuration.now
        self.metrics = configuration.metricsFactory
        self.logger = logger
    }

    /// Reads every stored service and holds exactly those: at start, and again whenever the store reports that
    /// a node changed a service (`StoreChange`), so that a change made through any node is in force on this one.
    /// A service that stays keeps its live state; one no longer stored is removed. Definitions that break a
    /// rule are skipped, logged and returned; alternatives are checked once all services are read, so their
    /// order in the store does not matter. Takes its turn with `put` and `delete`. When the store fails,
    /// nothing changes: the node keeps working with the services it holds.
    @discardableResult
    public func load() async throws(StoreError) -> [Rejection] {
        await beginChange()
        defer { endChange() }
        var candidates: [ServiceID: ServiceDefinition] = [:]
        for service in try await store.allServices() { candidates[service.id] = service }
        var rejections: [Rejection] = []
        // Refusing one service can leave another's alternative dangling, so repeat until stable.
        var changed = true
        while changed {
            changed = false
            for (id, service) in candidates.sorted(by: { $0.key < $1.key }) {
                var others = candidates
                others[id] = nil
                do {
                    try Self.validate(service, among: others)
                } catch {
                    candidates[id] = nil
                    rejections.append(Rejection(id: id, reason: error.description))
                    logger.error("stored service refused", metadata: ["service": "\(id)", "reason": "\(error)"])
                    changed = true
                }
            }
        }
        for id in Array(entries.keys) where candidates[id] == nil { uninstall(id) }
        for service in candidates.values where entries[service.id]?.definition != service { install(service) }
        return rejections
    }

    public func list() -> [ServiceDefinition] {
        entries.values.map(\.definition).sorted { $0.id < $1.id }
    }

    public func get(_ id: ServiceID) -> ServiceDefinition? {
        entries[id]?.definition
    }

    /// Creates or replaces a service after validating it, then persists it.
    /// The live state (in-flight count, circuit, counters) of a replaced service is kept.
    /// - Returns: true when the service was created, false when it replaced one.
    @discardableResult
    public func put(_ service: ServiceDefinition) async throws(RegistryError) -> Bool {
        try await put(service, owner: nil)
    }

    /// Creates or replaces a provider's own service (`/provider/v1/services/{id}`), marking it as `provider`'s.
    /// Refused (`notOwned`) when the id is another provider's or the operator's: as this node knows it, and then
    /// as the store knows it, in the store's atomic check-and-write, so that two nodes (or two requests) creating
    /// the same id for two providers cannot both win.
    /// - Returns: true when the service was created, false when it replaced the provider's own.
    @discardableResult
    public func put(_ service: ServiceDefinition, ownedBy provider: String) async throws(RegistryError) -> Bool {
        var service = service
        service.provider = provider
        return try await put(service, owner: provider)
    }

    /// `owner`: the provider that must own the service, if any (nil: the operator's change, which may replace any).
    private func put(_ service: ServiceDefinition, owner: String?) async throws(RegistryError) -> Bool {
        await beginChange()
        defer { endChange() }
        var others = entries.mapValues(\.definition)
        let previous = others.removeValue(forKey: service.id)
        if let owner, let previous, previous.provider != owner { throw .notOwned(service.id) }
        try Self.validate(service, among: others)
        // Applied before the store call so that calls admitted meanwhile see it; undone if the store refuses or fails.
        install(service)
        let saved: OwnedServiceSave
        do {
            if let owner {
                saved = try await store.save(service, ownedBy: owner)
            } else {
                try await store.save(service)
                saved = previous == nil ? .created : .replaced
            }
        } catch {
            if let previous { install(previous) } else { uninstall(service.id) }
            throw .store(error.description)
        }
        guard saved != .ownedByAnother else {
            // Another node's service that this node has not loaded yet: the store's change feed brings it here.
            if let previous { install(previous) } else { uninstall(service.id) }
            throw .notOwned(service.id)
        }
        return saved == .created
    }

    /// Removes a service. Refused while another service names it as an alternative.
    public func delete(_ id: ServiceID) async throws(RegistryError) {
        await beginChange()
        defer { endChange() }
        guard let removed = entries[id] else { throw .notFound(id) }
        if let user = entries.values.first(where: { $0.definition.alternatives.contains(id) }) {
            throw .inUse("service \"\(id)\" is an alternative of \"\(user.definition.id)\"; change that service first")
        }
        uninstall(id)
        do {
            _ = try await store.deleteService(id: id)
        } catch {
            entries[id] = removed
            indexKey(of: removed.definition)
            throw .store(error.description)
        }
    }

    /// The live state of every service, sorted by id.
    public func status() -> [ServiceStatus] {
        entries.keys.sorted().compactMap(status(of:))
    }

    public func status(of id: ServiceID) -> ServiceStatus? {
        guard let entry = entries[id] else { return nil }
        let numbers = entry.counters.snapshot
        let mean = numbers.answered == 0 ? nil : Self.milliseconds(numbers.totalLatency) / Double(numbers.answered)
        return ServiceStatus(
            id: id, kind: entry.definition.kind, inFlight: entry.inFlight, capacity: entry.definition.capacity,
            circuit: entry.breaker.state(at: now()), consecutiveFailures: entry.breaker.consecutiveFailures,
            requests: numbers.requests, pushes: numbers.pushes,
            errors: Dictionary(uniqueKeysWithValues: numbers.errors.map { ($0.key.rawValue, $0.value) }),
            meanLatencyMilliseconds: mean)
    }

    public func trafficSummary() -> TrafficSummary {
        var summary = TrafficSummary(basicRequests: 0, composedRequests: 0, pushes: 0)
        for entry in entries.values {
            let numbers = entry.counters.snapshot
            switch entry.definition.kind {
            case .basic: summary.basicRequests += numbers.requests
            case .composed: summary.composedRequests += numbers.requests
            }
            summary.pushes += numbers.pushes
        }
        return summary
    }

    /// The connector holding `key`: the basic services registered with it.
    nonisolated func connector(forKey key: String) -> ConnectorIdentity? {
        servicesByKey.withLock { $0[key] }.map(ConnectorIdentity.init(services:))
    }

    func counters(of id: ServiceID) -> ServiceCounters? {
        entries[id]?.counters
    }

    private func install(_ service: ServiceDefinition) {
        if let old = entries[service.id] {
            unindexKey(of: old.definition)
            var entry = old
            entry.definition = service
            entry.counters = old.definition.kind == service.kind ? old.counters : makeCounters(for: service)
            entries[service.id] = entry
        } else {
            entries[service.id] = Entry(
                definition: service, breaker: CircuitBreaker(threshold: breakerThreshold, coolDown: breakerCoolDown),
                counters: makeCounters(for: service))
        }
        indexKey(of: service)
    }

    /// Waits until no other `put` or `delete` is under way, then holds the turn until `endChange`.
    private func beginChange() async {
        guard changing else {
            changing = true
            return
        }
        await withCheckedContinuation { waitingChanges.append($0) }
    }

    /// Hands the turn to the next waiting change, if any.
    private func endChange() {
        if waitingChanges.isEmpty { changing = false } else { waitingChanges.removeFirst().resume() }
    }

    private func makeCounters(for service: ServiceDefinition) -> ServiceCounters {
        ServiceCounters(serviceID: service.id, kind: service.kind, factory: metrics)
    }

    private func uninstall(_ id: ServiceID) {
        guard let entry = entries.removeValue(forKey: id) else { return }
        unindexKey(of: entry.definition)
    }

    private func indexKey(of service: ServiceDefinition) {
        guard service.kind == .basic, let key = service.connectorKey else { return }
        servicesByKey.withLock { _ = $0[key, default: []].insert(service.id) }
    }

    private func unindexKey(of service: ServiceDefinition) {
        guard let key = service.connectorKey else { return }
        servicesByKey.withLock { index in
            guard var ids = index[key] else { return }
            ids.remove(service.id)
            index[key] = ids.isEmpty ? nil : ids
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
