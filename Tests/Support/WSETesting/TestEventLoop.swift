import NIOEmbedded

/// Runs `body` with a test event loop whose clock moves only when the test advances it
/// (`advanceTime(by:)`/`advanceTime(to:)`), for code that schedules its timers on an event loop;
/// then shuts the loop down (timers left are cancelled), also when `body` throws.
public func withTestEventLoop<Result>(_ body: (NIOAsyncTestingEventLoop) async throws -> Result) async throws -> Result {
    let loop = NIOAsyncTestingEventLoop()
    do {
        let result = try await body(loop)
        await loop.shutdownGracefully()
        return result
    } catch {
        await loop.shutdownGracefully()
        throw error
    }
}
