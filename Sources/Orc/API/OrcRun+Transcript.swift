import Synchronization

/// The output of a whole run as orc.jar's test driver writes it.
public struct OrcTranscript: Sendable {
    /// Publications (`value\n`), printed text and `Error: …` lines, in event order.
    public var text: String
    public var outcome: OrcRunOutcome
}

extension OrcProgram {
    /// Runs the program to its end and returns its transcript; `timeout` kills it after that many
    /// seconds (then `outcome` is `.killed`).
    public func runTranscript(virtualTime: Bool, timeout: Double? = nil, host: sending [String: OrcValue] = [:],
                              limits: OrcRunLimits = OrcRunLimits()) async -> OrcTranscript {
        let buffer = Mutex("")
        let events = OrcRunEvents(
            publish: { value in buffer.withLock { $0 += value.formatted + "\n" } },
            print: { text in buffer.withLock { $0 += text } },
            error: { error in buffer.withLock { $0 += error.line + "\n" } })
        let run = OrcRun(program: self, host: host, virtualTime: virtualTime, limits: limits, events: events)
        let watchdog = timeout.map { seconds in
            Task {
                try await Task.sleep(for: .seconds(seconds))
                run.kill()
            }
        }
        let outcome = await run.outcome()
        watchdog?.cancel()
        return OrcTranscript(text: buffer.withLock { $0 }, outcome: outcome)
    }
}
