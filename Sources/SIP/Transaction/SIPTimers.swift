import NIOCore
import NIOPosix

/// The RFC 3261 §17 timer base values, and the event loops whose clock runs the timers.
///
/// The defaults are the RFC's values on NIO's shared loops. Tests pass a `NIOAsyncTestingEventLoop`
/// and move its clock with `advanceTime`: every SIP timer (transactions, refreshes, expiry) then
/// fires in virtual time, exactly when the RFC says, without waiting.
public struct SIPTimers: Sendable {
    /// RTT estimate: first retransmission interval (500 ms).
    public var t1: Duration
    /// Maximum retransmission interval for non-INVITE requests (4 s).
    public var t2: Duration
    /// How long a message may stay in the network (5 s): Timer K.
    public var t4: Duration
    /// Each transaction layer runs on one loop of these (its actor and its timers), as do the user
    /// agent or presence server on top of it.
    public var eventLoops: any EventLoopGroup

    public init(t1: Duration = .milliseconds(500), t2: Duration = .seconds(4), t4: Duration = .seconds(5),
                eventLoops: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.t1 = t1
        self.t2 = t2
        self.t4 = t4
        self.eventLoops = eventLoops
    }

    /// Timer F (client gives up) and Timer J (server forgets): 64·T1.
    public var transactionTimeout: Duration { t1 * 64 }

    /// Timer E's next interval over UDP: doubling up to T2, or T2 once a provisional response
    /// has arrived (RFC 3261 §17.1.2.2). The first is T1.
    public func retransmissionInterval(after previous: Duration, provisional: Bool) -> Duration {
        provisional ? t2 : min(previous * 2, t2)
    }
}
