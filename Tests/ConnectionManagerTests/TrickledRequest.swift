import NIOCore
import NIOEmbedded
import Testing

/// A client that sends a request's head and then its body a byte at a time (slowloris after the head).
extension NIOAsyncTestingChannel {
    static let trickledRequestHead = "POST /connector/in/v1/events HTTP/1.1\r\nHost: node\r\nContent-Length: 100\r\n\r\n"

    /// `bytes` bytes of body, one every `interval` of the test clock, the first after one interval.
    func trickleBody(_ bytes: Int, every interval: TimeAmount) async throws {
        for _ in 0..<bytes {
            await testingEventLoop.advanceTime(by: interval)
            try await writeInbound(ByteBuffer(string: "x"))
        }
    }

    /// The connection is still open a millisecond before `time` from now, and closed at it.
    func expectClosed(in time: TimeAmount, sourceLocation: SourceLocation = #_sourceLocation) async {
        await testingEventLoop.advanceTime(by: time - .milliseconds(1))
        #expect(isActive, "open until the deadline", sourceLocation: sourceLocation)
        await testingEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!isActive, "closed at the deadline", sourceLocation: sourceLocation)
    }
}
