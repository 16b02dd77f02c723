import Foundation
import MetricsTestKit
import Testing
import WSECore
import WSETesting

/// A slow connector IN must not make the connector buffer without bound: each user's queue
/// towards connector IN holds `eventQueueLimit` events, and past it events are dropped, counted.
@Suite("IMS connector event queue limit", .serialized)
struct EventQueueLimitTests {
    @Test func aFullQueueDropsEventsAndCountsThem() async throws {
        let metrics = CountingMetricsFactory()
        try await ConnectorHarness.with(.embedded, eventQueueLimit: 2, metrics: metrics) { harness in
            #expect(try await harness.call("alice", "register").status == 200)
            #expect(try await harness.call("bob", "register").status == 200)
            await harness.connectorIN.hold()
            let alice = harness.sipURI("alice")
            // The first message is pushed and held; of the four after it two wait in alice's queue and
            // the two oldest are dropped, so that the latest state survives.
            #expect(try await harness.call("bob", "message", ["to": .string(alice), "text": "m1"]).status == 200)
            _ = try await harness.connectorIN.waitFor("m1 pushed") { $0["data"]?["text"] == "m1" }
            for index in 2...5 {
                #expect(try await harness.call("bob", "message", ["to": .string(alice), "text": .string("m\(index)")]).status == 200)
            }
            let dropped = try metrics.recorded.expectCounter("wse_ims_connector_events_dropped_total", [("user", "alice")])
            do {
                try await eventually("two dropped events counted", within: .seconds(10)) { dropped.totalValue == 2 }
            } catch {
                // Answer the held pushes first, or the harness's shutdown would wait on them.
                await harness.connectorIN.release()
                throw error
            }
            await harness.connectorIN.release()
            let delivered = try await harness.connectorIN.waitFor(3, "messages to alice") { $0["user"] == "alice" }
            #expect(delivered.map { $0["data"]?["text"] } == ["m1", "m4", "m5"])
        }
    }
}
