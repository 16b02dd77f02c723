import NIOEmbedded

/// Runs `body` with a test event loop for `SIPTimers(eventLoops:)`, whose clock moves only when the
/// test advances it; shuts the loop down after (timers left are cancelled), also when `body` throws.
/// (SIPTests' `VirtualTime` is the same for the SIP library's tests; the two can become one when
/// a shared test-support target exists.)
func withVirtualClock(_ body: (NIOAsyncTestingEventLoop) async throws -> Void) async throws {
    let clock = NIOAsyncTestingEventLoop()
    do {
        try await body(clock)
    } catch {
        await clock.shutdownGracefully()
        throw error
    }
    await clock.shutdownGracefully()
}
