@testable import ConnectionManager
import Testing

@Suite struct ResumeBufferTests {
    private func filled(_ range: ClosedRange<UInt64>, maxEvents: Int = 100, maxBytes: Int = 1 << 20) -> ResumeBuffer {
        var buffer = ResumeBuffer(maxEvents: maxEvents, maxBytes: maxBytes)
        for seq in range { buffer.append(seq: seq, text: "e\(seq)") }
        return buffer
    }

    @Test func replaysWhatFollowsLastSeq() {
        var buffer = filled(1...5)
        #expect(buffer.replay(after: 3) == ["e4", "e5"])
        #expect(buffer.replay(after: 0) == ["e1", "e2", "e3", "e4", "e5"])
        #expect(buffer.replay(after: 5) == [])
    }

    @Test func acknowledgedEventsAreDroppedAndCannotBeReplayed() {
        var buffer = filled(1...5)
        buffer.acknowledge(through: 3)
        #expect(buffer.count == 2)
        #expect(buffer.replay(after: 3) == ["e4", "e5"])
        #expect(buffer.replay(after: 2) == nil)
    }

    @Test func boundedByCountAndBytesDroppingTheOldest() {
        var byCount = filled(1...10, maxEvents: 4)
        #expect(byCount.count == 4)
        #expect(byCount.replay(after: 6) == ["e7", "e8", "e9", "e10"])
        #expect(byCount.replay(after: 5) == nil)

        var byBytes = filled(1...9, maxBytes: 6)
        #expect(byBytes.replay(after: 6) == ["e7", "e8", "e9"])
        #expect(byBytes.replay(after: 5) == nil)
    }

    /// Responses, errors and `end`s sent while the client is away: replayed once, where they came among the events.
    @Test func heldMessagesAreReplayedOnceInOrderWithTheEvents() {
        var buffer = filled(1...3)
        buffer.hold("r")
        buffer.append(seq: 4, text: "e4")
        buffer.hold("end")
        #expect(buffer.count == 6)
        #expect(buffer.replay(after: 2) == ["e3", "r", "e4", "end"])
        #expect(buffer.count == 4, "the held messages were delivered; the events wait for their ack")
        #expect(buffer.replay(after: 2) == ["e3", "e4"])
        buffer.acknowledge(through: 4)
        #expect(buffer.count == 0)
    }

    @Test func aResumeThatWouldLoseAHeldMessageFails() {
        var buffer = ResumeBuffer(maxEvents: 2, maxBytes: 1 << 20)
        buffer.hold("r")
        buffer.append(seq: 1, text: "e1")
        buffer.append(seq: 2, text: "e2")
        #expect(buffer.replay(after: 0) == nil, "r was dropped to make room")
    }

    @Test func manyAppendsAndAcksKeepOrder() {
        var buffer = ResumeBuffer(maxEvents: 50, maxBytes: 1 << 20)
        for seq in UInt64(1)...1000 {
            buffer.append(seq: seq, text: "e\(seq)")
            if seq % 7 == 0 { buffer.acknowledge(through: seq - 3) }
        }
        // The last ack came at seq 994, through 991: 992...1000 are kept.
        #expect(buffer.count == 9)
        #expect(buffer.replay(after: 991) == (992...1000).map { "e\($0)" })
        #expect(buffer.replay(after: 990) == nil)
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
