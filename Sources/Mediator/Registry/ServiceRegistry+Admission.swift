import WSECore

/// A call the registry let through: which service serves it (the requested one or an alternative).
struct Admission: Sendable {
    var definition: ServiceDefinition
    var counters: ServiceCounters
    /// The call is its circuit's half-open trial.
    var isTrial: Bool
}

/// How a connector call ended, for the circuit breaker.
enum CallOutcome: Sendable {
    /// The connector answered (a result, an acceptance, or a 4xx refusal): it is alive.
    case connectorAlive
    /// Timeout, unreachable, 5xx or garbage.
    case connectorFailed
    /// No connector outcome: a composition, or a call cancelled before its answer.
    case none
}

extension ServiceRegistry {
    /// Decides who serves a call of `serviceID` by `principal` and counts it in flight there.
    ///
    /// The requested service must exist and admit the principal. Then the service and its alternatives
    /// (depth first, in their listed order) are tried: a candidate serves if it admits the principal,
    /// has room under its capacity and its circuit lets the call through. When none can, the refusal
    /// of the requested service is returned (`overloaded` or `unavailable`).
    func admit(_ serviceID: ServiceID, for principal: Principal) -> Result<Admission, ServiceError> {
        guard let requested = entries[serviceID] else {
            return .failure(ServiceError(.unknownService, "no service named \"\(serviceID)\""))
        }
        requested.counters.recordRequest()
        guard requested.definition.access.admits(principal) else {
            requested.counters.recordError(.forbidden)
            return .failure(ServiceError(.forbidden, "user \"\(principal.user)\" may not use service \"\(serviceID)\""))
        }
        var refusal: ServiceError?
        let instant = now()
        for id in candidates(for: serviceID) {
            guard var entry = entries[id], entry.definition.access.admits(principal) else { continue }
            if let capacity = entry.definition.capacity, entry.inFlight >= capacity {
                refusal = refusal ?? ServiceError(.overloaded, "service \"\(id)\" is at its capacity of \(capacity) calls")
                continue
            }
            guard let isTrial = entry.breaker.admit(at: instant) else {
                refusal = refusal ?? ServiceError(.unavailable, "service \"\(id)\" is failing (circuit open); try again later")
                continue
            }
            entry.inFlight += 1
            entries[id] = entry
            entry.counters.recordInFlight(entry.inFlight)
            return .success(Admission(definition: entry.definition, counters: entry.counters, isTrial: isTrial))
        }
        let error = refusal ?? ServiceError(.unavailable, "service \"\(serviceID)\" cannot serve now")
        let tried = requested.definition.alternatives.isEmpty ? "" : " and no alternative could serve"
        let final = ServiceError(error.code, error.message + tried)
        requested.counters.recordError(final.code)
        return .failure(final)
    }

    /// A call admitted by `admit` has ended: it leaves the in-flight count, and its outcome feeds the breaker.
    func release(_ serviceID: ServiceID, outcome: CallOutcome, wasTrial: Bool) {
        guard var entry = entries[serviceID] else { return }
        entry.inFlight = max(0, entry.inFlight - 1)
        switch outcome {
        case .connectorAlive: entry.breaker.recordSuccess()
        case .connectorFailed: entry.breaker.recordFailure(at: now())
        case .none: if wasTrial { entry.breaker.abandonTrial() }
        }
        entries[serviceID] = entry
        entry.counters.recordInFlight(entry.inFlight)
    }

    /// Feeds the breaker without ending the call: a 202 shows the connector alive while the process stays open.
    func recordOutcome(_ serviceID: ServiceID, _ outcome: CallOutcome) {
        guard var entry = entries[serviceID] else { return }
        switch outcome {
        case .connectorAlive: entry.breaker.recordSuccess()
        case .connectorFailed: entry.breaker.recordFailure(at: now())
        case .none: return
        }
        entries[serviceID] = entry
    }

    /// The requested service, then its alternatives depth first; each service once.
    private func candidates(for serviceID: ServiceID) -> [ServiceID] {
        var order: [ServiceID] = []
        var seen = Set<ServiceID>()
        func visit(_ id: ServiceID) {
            guard seen.insert(id).inserted else { return }
            order.append(id)
            for alternative in entries[id]?.definition.alternatives ?? [] { visit(alternative) }
        }
        visit(serviceID)
        return order
    }
}

extension ServiceRegistry {
    /// Counts in flight a process that moved here from another node (cluster mode), whatever the limits:
    /// it was admitted there. - Returns: its service and counters, or nil when this node does not know the service.
    func adoptInFlight(_ serviceID: ServiceID) -> (ServiceDefinition, ServiceCounters)? {
        guard var entry = entries[serviceID] else { return nil }
        entry.inFlight += 1
        entries[serviceID] = entry
        entry.counters.recordInFlight(entry.inFlight)
        return (entry.definition, entry.counters)
    }
}
