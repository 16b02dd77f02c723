/// Runs `operation` against a deadline `timeout` from now on `clock`: returns its result, or nil
/// once the deadline has passed first (the operation is then cancelled and awaited).
///
/// For timeouts of our own on an injected clock (connector OUT's calls, the REST connector's
/// upstream calls), so that tests drive them with a manual clock instead of waiting. When the
/// caller is cancelled, the operation is too and its result (whatever it makes of the
/// cancellation) is returned.
public func withDeadline<Success: Sendable>(
    _ timeout: Duration, on clock: any Clock<Duration>, _ operation: @escaping @Sendable () async -> Success
) async -> Success? {
    await withTaskGroup(of: Success??.self) { group in
        group.addTask { .some(await operation()) }
        group.addTask {
            // Cancelled (nil) when the operation ends first or the caller is cancelled.
            guard (try? await clock.sleep(for: timeout)) != nil else { return nil }
            return .some(nil)
        }
        for await case let first? in group {
            group.cancelAll()
            return first
        }
        preconditionFailure("the operation always ends with a result")
    }
}
