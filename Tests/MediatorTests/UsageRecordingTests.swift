import Synchronization
import Testing
import WSETesting
import WSECore

@testable import Mediator

/// Collects the usage records the mediator hands over.
final class UsageCollector: UsageRecording {
    private let records = Mutex<[UsageRecord]>([])
    func record(_ usage: UsageRecord) { records.withLock { $0.append(usage) } }
    var all: [UsageRecord] { records.withLock { $0 } }
}

@Suite("Mediator usage records")
struct UsageRecordingTests {
    @Test("a process's record counts its events and the bytes of its data, with its parties and outcome")
    func aProcessIsRecordedWhenItLeavesTheTable() async throws {
        let usage = UsageCollector()
        var weather = ServiceDefinition.basic("weather")
        weather.provider = "acme"
        let h = try await Harness([weather], usage: usage)
        await h.connector.set(weather.url, .answer(.success(.accepted)))
        let first = try await h.request("weather", action: "subscribe")
        guard case .response(_, let pid, _) = first.first else {
            Issue.record("expected a response, got \(first)")
            return
        }
        let identity = try #require(await h.mediator.connector(forKey: "key-weather-0123456789abcdefghij"))
        _ = await h.mediator.processData(pid: pid, data: ["n": 1], final: false, from: identity)
        _ = await h.mediator.processData(pid: pid, data: ["n": 22], final: true, from: identity)
        try await eventually("the record") { usage.all.count == 1 }
        let record = try #require(usage.all.first)
        #expect(record.pid == pid.rawValue && record.user == "alice" && record.retailer == "shop" && record.provider == "acme")
        #expect(record.service == "weather" && record.action == "subscribe" && record.outcome == "done")
        #expect(record.events == 2)
        #expect(record.bytes == 2 + 7 + 8, "{} answered, then {\"n\":1} and {\"n\":22}")
        #expect(record.end >= record.start)
    }

    @Test("a synchronous answer, a connector error, a cancel and a refusal each leave their outcome")
    func outcomes() async throws {
        let usage = UsageCollector()
        let contacts = ServiceDefinition.basic("contacts"), broken = ServiceDefinition.basic("broken")
        let slow = ServiceDefinition.basic("slow"), shopOnly = ServiceDefinition.basic("shop-only", access: AccessRule(retailers: ["shop"]))
        let h = try await Harness([contacts, broken, slow, shopOnly], usage: usage)
        await h.connector.set(contacts.url, .answer(.success(.result(["ok": true]))))
        await h.connector.set(broken.url, .answer(.failure(.timeout)))
        await h.connector.set(slow.url, .hold)
        _ = try await h.request("contacts", action: "list")
        _ = try await h.request("broken", id: "r2", expecting: 2)
        _ = try await h.request("shop-only", id: "r3", session: .bob)
        await h.mediator.handle(ClientRequest(id: "r4", service: "slow", action: "go"), from: .alice)
        let held = try #require(try await h.waitForHeldCall().first)
        try await h.mediator.cancel(pid: held, from: .alice)
        try await eventually("four records") { usage.all.count == 4 }
        let outcomes = Dictionary(uniqueKeysWithValues: usage.all.map { ($0.service, $0.outcome) })
        #expect(outcomes == ["contacts": "answered", "broken": "error:timeout", "shop-only": "refused:forbidden", "slow": "cancelled"])
        #expect(usage.all.first { $0.service == "shop-only" }?.pid == "", "a refused call never became a process")
        #expect(usage.all.first { $0.service == "contacts" }?.bytes == #"{"ok":true}"#.utf8.count)
    }

    @Test("an unsolicited push to a user leaves a record without pid or action: the sessions it reached and its bytes")
    func aUserPushIsRecorded() async throws {
        let usage = UsageCollector()
        var sip = ServiceDefinition.basic("sip", key: "ims-key-0123456789abcdefghij")
        sip.provider = "acme"
        let h = try await Harness([sip], usage: usage)
        let ims = try #require(await h.mediator.connector(forKey: "ims-key-0123456789abcdefghij"))
        await h.sessions.setSessions(of: "alice", count: 2)
        #expect(await h.mediator.userPush(user: "alice", service: "sip", data: ["kind": "message"], from: ims) == .delivered(2))
        #expect(await h.mediator.userPush(user: "nobody", service: "sip", data: 1, from: ims) == .notFound("user \"nobody\" has no session"))
        // Handed over before the push is answered: no waiting.
        #expect(usage.all.count == 1, "a push that reached no session is not recorded")
        let record = try #require(usage.all.first)
        #expect(record.user == "alice" && record.retailer == nil && record.provider == "acme" && record.service == "sip")
        #expect(record.pid == "" && record.action == "" && record.outcome == "pushed")
        #expect(record.events == 2, "one event per session reached")
        #expect(record.bytes == 2 * #"{"kind":"message"}"#.utf8.count)
        #expect(record.end == record.start)
    }
}
