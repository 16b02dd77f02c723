import Testing

/// Waits until `condition` holds, checking every 5 ms; after `timeout` records a test failure
/// naming `what` and throws ``TimedOut``.
///
/// For outcomes that arrive through real I/O (a socket, another process). Timers are not waited
/// for this way: tests drive them with a ``ManualClock`` or a test event loop.
public func eventually(
    _ what: String, within timeout: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation,
    isolation: isolated (any Actor)? = #isolation, _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out after \(timeout) waiting for: \(what)", sourceLocation: sourceLocation)
            throw TimedOut(what: what)
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// Thrown by ``eventually(_:within:sourceLocation:_:)`` when its condition never held.
public struct TimedOut: Error, CustomStringConvertible {
    public let what: String
    public var description: String { "timed out waiting for: \(what)" }
}
