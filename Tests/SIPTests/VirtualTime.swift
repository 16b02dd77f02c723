import NIOCore
import NIOEmbedded
import WSETesting
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

    /// Runs `body` on a fresh test event loop, shut down afterwards (see `withTestEventLoop`).
    static func run(_ body: (VirtualTime) async throws -> Void) async throws {
        try await withTestEventLoop { loop in try await body(VirtualTime(loop: loop)) }
    }
}
