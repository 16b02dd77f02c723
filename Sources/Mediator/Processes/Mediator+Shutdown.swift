extension Mediator {
    /// Graceful shutdown: refuses new calls (`unavailable`), cancels every running process (its connector
    /// or composition is told, its owner gets `end` cancelled), and returns once every call's task and
    /// every connector cancel has finished. Run it after the listener has stopped and before the sessions close.
    /// With `handsOverOnShutdown`, the sessions' processes are let go first (see ``letGo(ofSession:)``): they
    /// live on for the node where their session resumes; only what is left (compositions, processes of other
    /// owners) is cancelled.
    public func shutdown() async {
        shuttingDown = true
        let calls = processes.values.compactMap(\.task)
        if configuration.handsOverOnShutdown {
            for session in Array(processesBySession.keys) { await letGo(ofSession: session) }
        }
        for pid in Array(processes.keys) { await terminate(pid, ownerGone: false) }
        for call in calls { await call.value }
        while let cancel = connectorCancels.values.first { await cancel.value }
    }
}
