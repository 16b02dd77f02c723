import WSECore

/// The service processes one run of a composition has started and that are still going, so that
/// each one is cancelled through `ServiceInvoking.cancel` when nobody needs it any more: when its
/// site call is killed, when `Service` gets events it does not read, and when the run ends.
actor ServiceProcessLedger {
    private let services: any ServiceInvoking
    private var open: [ProcessID: SiteCallSink] = [:]
    /// `invoke` calls under way, whose process ids are not known yet.
    private var starting = 0
    private var closed = false
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    init(services: any ServiceInvoking) {
        self.services = services
    }

    /// A site call is about to invoke a service. - Returns: false once the run has ended (do not invoke).
    func beginStart() -> Bool {
        guard !closed else { return false }
        starting += 1
        return true
    }

    /// `invoke` returned `pid`. A run that ended meanwhile cancels it at once.
    func started(_ pid: ProcessID, sink: SiteCallSink) async {
        defer { startEnded() }
        if sink.assign(pid: pid) { return }
        if closed {
            await services.cancel(pid: pid)
        } else {
            open[pid] = sink
        }
    }

    /// `invoke` refused the call.
    func startFailed() { startEnded() }

    /// The process finished on its own.
    func forget(_ pid: ProcessID) { open[pid] = nil }

    /// Nobody needs the process any more: cancels it unless it already finished.
    func release(_ pid: ProcessID) async {
        guard let sink = open.removeValue(forKey: pid), !sink.isFinished else { return }
        await services.cancel(pid: pid)
    }

    /// The run ended: waits for `invoke` calls under way, then cancels every process still going.
    /// Later `beginStart` calls are refused.
    func close() async {
        closed = true
        while starting > 0 {
            await withCheckedContinuation { idleWaiters.append($0) }
        }
        let remaining = open
        open = [:]
        for (pid, sink) in remaining {
            sink.abandon()
            if !sink.isFinished { await services.cancel(pid: pid) }
        }
    }

    /// How many processes are still going (for tests and the admin view).
    var openCount: Int { open.count }

    private func startEnded() {
        starting -= 1
        guard starting == 0 else { return }
        let waiters = idleWaiters
        idleWaiters = []
        for waiter in waiters { waiter.resume() }
    }
}
