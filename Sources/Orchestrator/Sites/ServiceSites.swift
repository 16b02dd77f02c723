import Orc
import WSECore

/// The `Service` and `Subscribe` sites of one run: each call invokes a WSE service through the
/// mediator on behalf of the run's user, so the service's access rule, capacity and alternatives apply.
struct ServiceSites: Sendable {
    let services: any ServiceInvoking
    let principal: Principal
    let ledger: ServiceProcessLedger
    let metrics: OrchestratorMetrics
    /// Where errors that no site call waits for go (the run reports them to the client).
    let report: @Sendable (ServiceError) async -> Void

    /// One call of `Service(service, action[, data])` (`.answer`) or `Subscribe(…)` (`.events`).
    func call(_ arguments: [OrcValue], mode: SiteCallMode) async -> sending OrcHostReply {
        let request: ServiceRequest
        do {
            request = try ServiceRequest(arguments, site: mode == .answer ? CompositionBindings.service : CompositionBindings.subscribe)
        } catch {
            return .error(error.orcError)
        }
        guard await ledger.beginStart() else { return .halt }
        let sink = SiteCallSink(mode: mode, service: request.service, ledger: ledger, lateFailure: report)
        let pid: ProcessID
        do {
            pid = try await services.invoke(service: request.service, action: request.action, data: request.data, for: principal, sink: sink)
        } catch {
            await ledger.startFailed()
            metrics.siteCallRefused(error.code)
            return .error(error.orcError)
        }
        metrics.siteCallStarted(service: request.service, mode: mode)
        await ledger.started(pid, sink: sink)
        let answer = await withTaskCancellationHandler { await sink.answer() } onCancel: { sink.abandon() }
        switch answer {
        case .responded(let data):
            if let events = sink.events { return .publish(.site(events)) }
            return .publish(OrcValue(json: data))
        case .failed(let error):
            await ledger.release(pid)
            return .error(error.orcError)
        case .ended:
            return .halt
        case .abandoned:
            await ledger.release(pid)
            return .halt
        }
    }
}
