@testable import ConnectionManager
import NIOCore
import Testing
import WSECore

@Suite struct ResumeBufferTests {
    /// Event `seq`, its data "e<seq>": the same size for every one-digit seq.
    private func event(_ seq: UInt64) -> OutboundMessage {
        .event(seq: seq, EncodedEvent(OutboundEvent(service: "s", pid: nil, data: .string("e\(seq)"))))
    }

    private func events(_ range: ClosedRange<UInt64>) -> [OutboundMessage] { range.map(event) }

    private func filled(_ range: ClosedRange<UInt64>, maxEvents: Int = 100, maxBytes: Int = 1 << 20) -> ResumeBuffer {
        var buffer = ResumeBuffer(maxEvents: maxEvents, maxBytes: maxBytes)
        for seq in range { buffer.add(event(seq)) }
        return buffer
    }

    @Test func replaysWhatFollowsLastSeq() {
        var buffer = filled(1...5)
        #expect(buffer.replay(after: 3) == events(4...5))
        #expect(buffer.replay(after: 0) == events(1...5))
        #expect(buffer.replay(after: 5) == [])
    }

    @Test func acknowledgedEventsAreDroppedAndCannotBeReplayed() {
        var buffer = filled(1...5)
        buffer.acknowledge(through: 3)
        #expect(buffer.count == 2)
        #expect(buffer.replay(after: 3) == events(4...5))
        #expect(buffer.replay(after: 2) == nil)
    }

    @Test func boundedByCountAndBytesDroppingTheOldest() {
        var byCount = filled(1...10, maxEvents: 4)
        #expect(byCount.count == 4)
        #expect(byCount.replay(after: 6) == events(7...10))
        #expect(byCount.replay(after: 5) == nil)

        var byBytes = filled(1...9, maxBytes: 3 * event(1).byteCount)
        #expect(byBytes.replay(after: 6) == events(7...9))
        #expect(byBytes.replay(after: 5) == nil)
    }

    /// Responses, errors and `end`s sent while the client is away: replayed once, where they came among the events.
    @Test func heldMessagesAreReplayedOnceInOrderWithTheEvents() {
        var buffer = filled(1...3)
        buffer.add(.text("r"))
        buffer.add(event(4))
        buffer.add(.text("end"))
        #expect(buffer.count == 6)
        #expect(buffer.replay(after: 2) == [event(3), .text("r"), event(4), .text("end")])
        #expect(buffer.count == 4, "the held messages were delivered; the events wait for their ack")
        #expect(buffer.replay(after: 2) == events(3...4))
        buffer.acknowledge(through: 4)
        #expect(buffer.count == 0)
    }

    @Test func aResumeThatWouldLoseAHeldMessageFails() {
        var buffer = ResumeBuffer(maxEvents: 2, maxBytes: 1 << 20)
        buffer.add(.text("r"))
        buffer.add(event(1))
        buffer.add(event(2))
        #expect(buffer.replay(after: 0) == nil, "r was dropped to make room")
    }

    @Test func manyAppendsAndAcksKeepOrder() {
        var buffer = ResumeBuffer(maxEvents: 50, maxBytes: 1 << 20)
        for seq in UInt64(1)...1000 {
            buffer.add(event(seq))
            if seq % 7 == 0 { buffer.acknowledge(through: seq - 3) }
        }
        // The last ack came at seq 994, through 991: 992...1000 are kept.
        #expect(buffer.count == 9)
        #expect(buffer.replay(after: 991) == events(992...1000))
        #expect(buffer.replay(after: 990) == nil)
    }
}

/// A fan-out encodes an event once and splices each session's seq in: the bytes must be the wire `event`.
@Suite struct EncodedEventTests {
    @Test(arguments: [UInt64(1), 9, 10, 99, 100, 12_345, UInt64.max])
    func theSplicedFrameIsTheWireEvent(seq: UInt64) {
        for event in [
            OutboundEvent(service: "loc", pid: "p1", data: ["b": 1, "a": "x\n\"é\u{1}", "c": [true, .null, 2.5]]),
            OutboundEvent(service: "sip", pid: nil, data: "text"),
        ] {
            let message = OutboundMessage.event(seq: seq, EncodedEvent(event))
            var buffer = ByteBuffer()
            message.write(to: &buffer)
            #expect(String(buffer: buffer) == event.message(seq: seq).jsonText)
            #expect(message.byteCount == buffer.readableBytes)
        }
    }
}

@Suite struct OriginPolicyTests {
    private let retailers: [ConnectionManagerConfiguration.Retailer] = [
        .init(id: "shop", origins: ["https://Shop.test/", "http://127.0.0.1:8080"]),
        .init(id: "news", origins: ["https://news.test"]),
    ]

    @Test func mapsOriginsToRetailersCaseInsensitively() {
        let policy = OriginPolicy(retailers: retailers, allowMissingOrigin: false)
        #expect(policy.decide(origin: "https://shop.test") == .allowed(retailer: "shop"))
        #expect(policy.decide(origin: "http://127.0.0.1:8080") == .allowed(retailer: "shop"))
        #expect(policy.decide(origin: "https://news.test") == .allowed(retailer: "news"))
        #expect(policy.decide(origin: "https://evil.test") == .refused)
        #expect(policy.decide(origin: "http://127.0.0.1:8081") == .refused)
        #expect(policy.decide(origin: nil) == .refused)
        #expect(policy.decide(origin: "") == .refused)
    }

    @Test func missingOriginAndWildcard() {
        let policy = OriginPolicy(retailers: retailers + [.init(id: "dev", origins: ["*"])], allowMissingOrigin: true)
        #expect(policy.decide(origin: nil) == .allowed(retailer: nil))
        #expect(policy.decide(origin: "https://anything.test") == .allowed(retailer: "dev"))
        #expect(policy.decide(origin: "https://news.test") == .allowed(retailer: "news"))
    }
}
