extension Interpreter {
    /// Parks a `get()` on an empty host stream until the host sends a value or finishes it.
    /// The run is not stuck while it waits (the value comes from another thread).
    func awaitStream(_ stream: OrcStream, _ call: SiteCall) {
        streamReaders[ObjectIdentifier(stream), default: (stream, [])].calls.append(call)
        pendingExternal += 1
        call.onKill { [unowned self] in self.pendingExternal -= 1 }
    }

    /// Hands what the host sent to the reads waiting on `stream`, in order.
    func deliver(_ stream: OrcStream) {
        let key = ObjectIdentifier(stream)
        guard var calls = streamReaders[key]?.calls else { return }
        while let call = calls.first {
            guard call.isWaiting else { calls.removeFirst(); continue }
            let (value, finished) = stream.next()
            if let value {
                calls.removeFirst()
                pendingExternal -= 1
                call.publish(value)
            } else if finished {
                calls.removeFirst()
                pendingExternal -= 1
                call.halt()
            } else {
                break
            }
        }
        streamReaders[key] = calls.isEmpty ? nil : (stream, calls)
    }
}
