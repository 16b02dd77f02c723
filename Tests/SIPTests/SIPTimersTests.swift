import Testing
@testable import SIP

/// RFC 3261 §17.1.2.2's arithmetic: Timer E from T1 doubling up to T2, T2 after a provisional; Timer F 64·T1.
@Suite("SIP timers")
struct SIPTimersTests {
    let timers = SIPTimers()

    @Test func timerEDoublesFromT1UpToT2() {
        var intervals = [timers.t1]
        for _ in 0..<5 { intervals.append(timers.retransmissionInterval(after: intervals.last!, provisional: false)) }
        #expect(intervals == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(4), .seconds(4)])
    }

    @Test func timerEIsT2AfterAProvisionalResponse() {
        #expect(timers.retransmissionInterval(after: timers.t1, provisional: true) == .seconds(4))
    }

    @Test func timerFIs64TimesT1() {
        #expect(timers.transactionTimeout == .seconds(32))
        #expect(SIPTimers(t1: .milliseconds(100)).transactionTimeout == .milliseconds(6400))
    }
}
