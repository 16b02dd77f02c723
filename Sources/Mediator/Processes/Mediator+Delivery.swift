import Foundation
import WSECore

extension Mediator {
    /// Ends a process on its own (a final push, a composition's halt). The pid is unknown to connector IN
    /// and `cancel` from now on.
    func end(_ pid: ProcessID, reason: EndReason, outcome: CallOutcome) async {
        guard var record = processes[pid], record.state.end() else { return }
        processes[pid] = record
        await closeEnded(record, reason: reason, outcome: outcome)
    }

    /// What follows every transition into an ended state: the owner gets `finish(reason)` after what is
    /// queued, the session forgets the pid, and the service gets its capacity back.
    func closeEnded(_ record: ProcessRecord, reason: EndReason, outcome: CallOutcome) async {
        let pid = record.pid
        processes[pid]?.outbox.append(.finish(reason))
        if let sessionID = record.sessionID {
            processesBySession[sessionID]?.remove(pid)
            if processesBySession[sessionID]?.isEmpty == true { processesBySession[sessionID] = nil }
        }
        if record.serving.kind == .composed {
            compositionsByUser[record.user, default: 1] -= 1
            if compositionsByUser[record.user] == 0 { compositionsByUser[record.user] = nil }
        }
        await registry.release(record.serving.id, outcome: outcome, wasTrial: record.isTrial)
        configuration.processDirectory?.processEnded(pid)
        logger.debug("process ended", metadata: ["pid": "\(pid)", "reason": "\(reason.rawValue)"])
    }

    /// Cancels a running process: its connector (or composition) is told, queued output is dropped,
    /// and the owner gets `end` with reason `cancelled` unless the owner is gone.
    func terminate(_ pid: ProcessID, ownerGone: Bool) async {
        guard var record = processes[pid], record.state.cancel(ownerGone: ownerGone) else { return }
        record.task?.cancel()
        record.outbox = []
        processes[pid] = record
        await closeEnded(record, reason: .cancelled, outcome: .none)
        let definition = record.serving
        switch definition.kind {
        case .basic:
            if let endpoint = definition.endpoint, let key = definition.connectorKey {
                // Best effort and not awaited here: a slow connector must not hold up the session. `shutdown` awaits it.
                connectorCancels[pid] = Task {
                    await connectors.cancel(pid: pid, endpoint: endpoint, key: key)
                    connectorCancels[pid] = nil
                }
            }
        case .composed:
            await compositions?.cancel(pid: pid)
        }
        await drain(pid)
    }

    /// Hands queued output to the owner in order. One drainer per process at a time; output queued
    /// while it awaits the owner is taken in the same loop.
    func drain(_ pid: ProcessID) async {
        guard var record = processes[pid], record.state.isAnswered, !record.draining else { return }
        record.draining = true
        processes[pid] = record
        while var current = processes[pid] {
            if current.outbox.isEmpty || current.state == .ended(.ownerGone) {
                if current.state.isEnded {
                    if let usage = current.usage { configuration.usage?.record(usage.record(of: current, end: Date())) }
                    processes[pid] = nil
                    processesByUser[current.user]?.remove(pid)
                    if processesByUser[current.user]?.isEmpty == true { processesByUser[current.user] = nil }
                } else {
                    current.draining = false
                    processes[pid] = current
                }
                return
            }
            let output = current.outbox.removeFirst()
            current.usage?.count(output, state: current.state)
            processes[pid] = current
            switch await deliver(output, of: current) {
            case .kept: break
            case .notDurable: notDurable.insert(pid)
            case .sessionGone:
                logger.debug("owner of process is gone", metadata: ["pid": "\(pid)"])
                await terminate(pid, ownerGone: true)
                processes[pid]?.state.ownerLeft()
            }
        }
    }

    /// - Returns: `sessionGone` when the owning session no longer exists; `notDurable` for an event the shared
    ///   session store could not commit.
    private func deliver(_ output: ProcessOutput, of record: ProcessRecord) async -> EventDelivery {
        switch record.owner {
        case .session(let sessionID, let requestID):
            let reached: Bool
            switch output {
            case .respond(let data):
                reached = await sessions.send(.response(id: requestID, pid: record.pid, data: data), toSession: sessionID)
            case .emit(let data):
                let event = OutboundEvent(service: record.requestedService, pid: record.pid, data: data)
                return await sessions.send(event, toSession: sessionID)
            case .fail(let error):
                reached = await sessions.send(.error(id: requestID, code: error.code, message: error.message), toSession: sessionID)
            case .finish(let reason):
                // A synchronous answer or an error already closed the call for the client: no `end` follows.
                guard record.state == .ended(.endMessage) else { return .kept }
                reached = await sessions.send(.end(pid: record.pid, reason: reason), toSession: sessionID)
            }
            return reached ? .kept : .sessionGone
        case .sink(let sink):
            switch output {
            case .respond(let data): await sink.respond(data)
            case .emit(let data): await sink.emit(data)
            case .fail(let error): await sink.fail(error)
            case .finish(let reason): await sink.finish(reason)
            }
            return .kept
        }
    }
}
