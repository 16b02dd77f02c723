/// Waits until `condition` holds: for an effect of real I/O (a datagram, a REGISTER taken) while a
/// virtual clock stands still. Fails by throwing after 10 s of wall time, so that an effect that
/// never comes ends the test instead of hanging it.
func waitUntil(_ what: String, _ condition: () async -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while !(await condition()) {
        guard ContinuousClock.now < deadline else { throw TestFailure("\(what) did not happen") }
        await Task.yield()
    }
}
