import WSECore

extension Mediator {
    /// Sends a basic service's call through connector OUT and handles the answer.
    func callConnector(_ call: ConnectorCall, definition: ServiceDefinition) async {
        let timeout = Duration.milliseconds(Int64((definition.timeout * 1000).rounded()))
        let result: Result<ConnectorReply, ConnectorFailure>
        do {
            result = .success(
                try await connectors.send(call, endpoint: definition.endpoint ?? "", key: definition.connectorKey ?? "", timeout: timeout))
        } catch {
            result = .failure(error)
        }
        await connectorAnswered(pid: call.pid, result)
    }

    /// 200: respond and end. 202: respond and keep the process open for connector IN. Failure: error and end.
    private func connectorAnswered(pid: ProcessID, _ result: Result<ConnectorReply, ConnectorFailure>) async {
        guard var record = processes[pid] else { return }
        let endedBefore = record.state.isEnded
        // A process answered already was cancelled while its call was on the way: the answer is dropped.
        guard record.state.answer(keepsRunning: result == .success(.accepted)) else { return }
        let serviceID = record.serving.id
        switch result {
        case .success(.result(let data)):
            record.counters.recordLatency(configuration.now() - record.admittedAt)
            record.outbox.insert(.respond(data), at: 0)
            processes[pid] = record
            if endedBefore {
                await registry.recordOutcome(serviceID, .connectorAlive)
            } else {
                await closeEnded(record, reason: .done, outcome: .connectorAlive)
            }
        case .success(.accepted):
            record.counters.recordLatency(configuration.now() - record.admittedAt)
            record.outbox.insert(.respond(.object([:])), at: 0)
            processes[pid] = record
            await registry.recordOutcome(serviceID, .connectorAlive)
        case .failure(let failure):
            let error = failure.serviceError(service: record.requestedService)
            record.counters.recordError(error.code)
            record.outbox = [.fail(error)]
            processes[pid] = record
            logger.info("connector call failed", metadata: [
                "pid": "\(pid)", "service": "\(serviceID)", "connector": "\(record.serving.endpoint ?? "")", "failure": "\(failure)",
            ])
            let outcome: CallOutcome = failure.isConnectorFault ? .connectorFailed : .connectorAlive
            if endedBefore {
                await registry.recordOutcome(serviceID, outcome)
            } else {
                await closeEnded(record, reason: .error, outcome: outcome)
            }
        }
        await drain(pid)
    }

    /// Starts a composed service on the orchestrator; its output comes back through a `CompositionRelay`.
    func runComposition(pid: ProcessID, definition: ServiceDefinition, action: String, data: JSONValue, principal: Principal) async {
        guard let compositions else { return }
        let relay = CompositionRelay(pid: pid, mediator: self)
        do {
            try await compositions.start(
                composition: definition.composition ?? definition.id.rawValue, pid: pid, action: action, data: data, for: principal, sink: relay)
            compositionAnswered(pid: pid, with: .object([:]))
        } catch {
            guard var record = processes[pid] else { return }
            let endedBefore = record.state.isEnded
            guard record.state.answer(keepsRunning: false) else { return }
            record.counters.recordError(error.code)
            record.outbox = [.fail(error)]
            processes[pid] = record
            if !endedBefore { await closeEnded(record, reason: .error, outcome: .none) }
        }
        await drain(pid)
    }

    /// The first answer of a composition: its own `respond`, or `{}` once `start` returned.
    private func compositionAnswered(pid: ProcessID, with data: JSONValue) {
        guard var record = processes[pid], record.state.answer(keepsRunning: true) else { return }
        record.counters.recordLatency(configuration.now() - record.admittedAt)
        record.outbox.insert(.respond(data), at: 0)
        processes[pid] = record
    }

    /// Output of a running composition, from its relay sink.
    func compositionOutput(pid: ProcessID, _ output: ProcessOutput) async {
        guard let record = processes[pid], !record.state.isEnded else { return }
        switch output {
        case .respond(let data):
            compositionAnswered(pid: pid, with: data)
        case .emit:
            record.counters.recordPush(via: record.owner.pushRoute)
            processes[pid]?.outbox.append(output)
        case .fail(let error):
            record.counters.recordError(error.code)
            processes[pid]?.outbox.append(output)
        case .finish(let reason):
            await end(pid, reason: reason, outcome: .none)
        }
        await drain(pid)
    }
}
