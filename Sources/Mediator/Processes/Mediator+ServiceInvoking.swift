import WSECore

extension Mediator: ServiceInvoking {
    /// Starts a call whose output goes to `sink`. Refusals (unknown, forbidden, overloaded, unavailable)
    /// are thrown; a failure after admission reaches the sink as `fail` followed by `finish(.error)`.
    public func invoke(service: ServiceID, action: String, data: JSONValue, for principal: Principal, sink: any ProcessSink)
        async throws(ServiceError) -> ProcessID
    {
        try await start(service: service, action: action, data: data, principal: principal, owner: .sink(sink)).get()
    }

    /// Cancels a call started by `invoke`; the sink gets `finish(.cancelled)`. Unknown pids are ignored.
    public func cancel(pid: ProcessID) async {
        guard let record = processes[pid], case .sink = record.owner else { return }
        await terminate(pid, ownerGone: false)
    }
}
