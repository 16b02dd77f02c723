import NIOCore
import NIOEmbedded
@testable import SIP

/// RFC 3261's timer values on a test event loop whose clock moves only when the test advances it:
/// every SIP timer fires exactly when due, and no test waits for one.
struct VirtualTime {
    let loop: NIOAsyncTestingEventLoop

    /// T1 = 500 ms, T2 = 4 s, T4 = 5 s, on the virtual clock.
    var timers: SIPTimers { SIPTimers(eventLoops: loop) }

    /// Moves the clock to `elapsed` after the start, firing in order every timer due by then.
    func advance(to elapsed: Duration) async {
        await loop.advanceTime(to: .uptimeNanoseconds(0) + TimeAmount(elapsed))
    }

    /// Runs `body`, then shuts the loop down (timers left are cancelled), also when `body` throws.
    static func run(_ body: (VirtualTime) async throws -> Void) async throws {
        let time = VirtualTime(loop: NIOAsyncTestingEventLoop())
        do {
            try await body(time)
        } catch {
            await time.loop.shutdownGracefully()
            throw error
        }
        await time.loop.shutdownGracefully()
    }
}
