/// The RFC 3261 §17 timer base values. Tests shrink them; the defaults are the RFC's.
public struct SIPTimers: Sendable {
    /// RTT estimate: first retransmission interval (500 ms).
    public var t1: Duration
    /// Maximum retransmission interval for non-INVITE requests (4 s).
    public var t2: Duration
    /// How long a message may stay in the network (5 s): Timer K.
    public var t4: Duration

    public init(t1: Duration = .milliseconds(500), t2: Duration = .seconds(4), t4: Duration = .seconds(5)) {
        self.t1 = t1
        self.t2 = t2
        self.t4 = t4
    }

    /// Timer F (client gives up) and Timer J (server forgets): 64·T1.
    public var transactionTimeout: Duration { t1 * 64 }
}
