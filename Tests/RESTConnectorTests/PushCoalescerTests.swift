import Testing
import WSETesting

@testable import WSECore

/// `PushCoalescer` (WSECore), which the REST and IMS connectors push through: one request in flight per
/// URL, the pushes that wait meanwhile coalesced into the next.
@Suite struct PushCoalescerTests {
    /// A connector IN stand-in: records each request's pushes, holds the first one until `release()`, and
    /// answers each push with its length.
    actor Wire {
        private(set) var requests: [[String]] = []
        private var holding = true
        private var held: CheckedContinuation<Void, Never>?

        func send(_ pushes: [String]) async -> [Int] {
            requests.append(pushes)
            if holding, requests.count == 1 { await withCheckedContinuation { held = $0 } }
            return pushes.map(\.count)
        }

        func release() {
            holding = false
            held?.resume()
            held = nil
        }
    }

    static let url = "http://node-a/connector/in/v1/events"

    @Test func aLonePushGoesAtOnceAlone() async {
        let wire = Wire()
        await wire.release()
        let coalescer = PushCoalescer<String, Int> { pushes, _ in await wire.send(pushes) }
        #expect(await coalescer.send(["a"], to: Self.url) == [1])
        #expect(await coalescer.send(["bb", "c"], to: Self.url) == [2, 1])
        #expect(await wire.requests == [["a"], ["bb", "c"]], "nothing waited, so nothing was held back or merged")
    }

    @Test func pushesQueuedWhileOneIsInFlightGoTogetherNextInOrder() async throws {
        let wire = Wire()
        let coalescer = PushCoalescer<String, Int> { pushes, _ in await wire.send(pushes) }
        async let first = coalescer.send(["a"], to: Self.url)
        try await eventually("the first request is in flight") { await wire.requests.count == 1 }
        async let second = coalescer.send(["bb"], to: Self.url)
        try await eventually("the second push waits") { await coalescer.waitingPushes(to: Self.url) == 1 }
        async let third = coalescer.send(["ccc", "dddd"], to: Self.url)
        try await eventually("the third caller's pushes wait too") { await coalescer.waitingPushes(to: Self.url) == 3 }
        #expect(await coalescer.send(["other"], to: "http://node-b/connector/in/v1/events") == [5], "another URL is not held up")

        await wire.release()
        #expect(await first == [1])
        #expect(await second == [2])
        #expect(await third == [3, 4])
        #expect(await wire.requests == [["a"], ["other"], ["bb", "ccc", "dddd"]])
        #expect(await coalescer.waitingPushes(to: Self.url) == 0)
        #expect(await coalescer.send(["e"], to: Self.url) == [1], "the URL is idle again: the next push goes alone")
        #expect(await wire.requests.last == ["e"])
    }
}
