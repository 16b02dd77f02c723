import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import WSETesting
@testable import Demo
import WSEApp
import WSECore

#if canImport(Glibc)
import Glibc
#endif

/// `wse demo drive` against the demo deployment running in-process: alice's Enhanced Address Book
/// shows the presence and the places the driver gives bob and carol; the driver stops cleanly
/// and explains what to do when it cannot work.
@Suite(.serialized) struct DemoDriverTests {
    static let bobPhone = "tel%3A%2B15550100002"

    @Test func aliceSeesThePresenceAndPlacesTheDriverGivesBobAndCarol() async throws {
        try await withRunningDemo { demo in
            let token = try await login("alice", at: demo.nodeURL)
            let log = DriverLog()
            try await withSocket(demo.nodeURL) { alice in
                try await alice.send(["type": "hello", "token": .string(token)])
                _ = try await alice.next()
                try await alice.send(["type": "request", "id": "e", "service": "eab", "action": "open", "data": ["interval": 0.5]])
                let book = try #require(try await alice.next()["pid"]?.stringValue)

                var options = DemoDriverOptions()
                options.nodeURL = demo.nodeURL
                options.every = 0.3
                options.seed = 7
                let driver = DemoDriver(options: options, report: log.add)
                let group = ServiceGroup(configuration: .init(services: [.init(service: driver)], logger: Logger(label: "test.driver")))
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    // Every card change alice got, checked again at each new one: the driver reports a change
                    // once the node has answered it, which can be after alice already has it.
                    var cards: [(id: String, card: JSONValue)] = []
                    let deadline = ContinuousClock.now + .seconds(40)
                    while !Self.sawTheDriver(in: cards, changes: log.changes) {
                        guard ContinuousClock.now < deadline else {
                            throw TestFailure("within 40 s alice did not see the driver's presence for bob and carol and bob's move; "
                                              + "driver: \(log.lines.suffix(8)); alice's last cards: \(cards.suffix(6).map(\.card.jsonText))")
                        }
                        let event = try await alice.next(within: 10)
                        guard event["pid"]?.stringValue == book, let card = event["data"], let id = card["id"]?.stringValue else { continue }
                        cards.append((id, card))
                    }
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                }
                // bob's and carol's sessions ended (closed with 1000, not left waiting for a resume): only alice's is open.
                try await Self.waitForOpenSessions(1, at: demo)
            }
            // Stopped cleanly: each contact left, and bob's phone follows the service's own path again (not pinned).
            #expect(log.lines.contains("bob    phone released, unregistered, signed out"), "\(log.lines.suffix(4))")
            #expect(log.lines.contains("carol  phone released, unregistered, signed out"), "\(log.lines.suffix(4))")
            let (status, body) = try await httpCall("DELETE", "\(demo.servicesURL)/location/v1/simulation/\(Self.bobPhone)")
            #expect(status == 404, "bob's phone was released when the driver stopped: \(body)")

            // A page origin the node does not admit is refused, and the error says how to fix it.
            var foreign = DemoDriverOptions()
            foreign.nodeURL = demo.nodeURL
            foreign.origin = "https://not-a-retailer.example"
            foreign.rounds = 1
            let refused = await #expect(throws: DemoDriverSessionLost.self) { try await DemoDriver(options: foreign, report: { _ in }).run() }
            #expect(refused?.closeCode == 4403 && refused?.description.contains("--origin") == true, "\(String(describing: refused))")
        }
    }

    /// Waits (at most 5 s) until the node counts `expected` open sessions (`GET /admin/v1/overview`).
    static func waitForOpenSessions(_ expected: Int, at demo: DemoDeployment) async throws {
        try await eventually("the node to count \(expected) open sessions", within: .seconds(5)) {
            let (_, body) = try await httpCall("GET", "\(demo.nodeURL)/admin/v1/overview", headers: ["authorization": "Bearer \(demo.adminToken)"])
            return try JSONValue.parse(body)["sessions"]?["open"]?.intValue == expected
        }
    }

    /// Whether alice saw, for bob and carol, a presence the driver published, and bob at a place the driver moved him to.
    static func sawTheDriver(in cards: [(id: String, card: JSONValue)], changes: [DemoDriverChange]) -> Bool {
        func published(_ user: String) -> Bool {
            cards.contains { entry in
                guard entry.id == user, let basic = entry.card["presence"]?["basic"]?.stringValue,
                      let note = entry.card["presence"]?["note"]?.stringValue else { return false }
                return changes.contains(.presence(user: user, basic: basic, note: note))
            }
        }
        let bobMoved = cards.contains { entry in
            guard entry.id == "bob", let latitude = entry.card["location"]?["latitude"]?.doubleValue,
                  let longitude = entry.card["location"]?["longitude"]?.doubleValue else { return false }
            return changes.contains { change in
                guard case .move("bob", let place) = change else { return false }
                return abs(place.latitude - latitude) < 1e-9 && abs(place.longitude - longitude) < 1e-9
            }
        }
        return published("bob") && published("carol") && bobMoved
    }

    @Test func aChangeTheNodeCannotMakeJustNowIsSkippedAndTheDriverGoesOn() async throws {
        try await withRunningDemo { demo in
            // The location service's connector stops answering: its requests fail with `unavailable`.
            let dead = try UnlistenedPort()
            let location = #"{"id":"location","endpoint":"http://127.0.0.1:\#(dead.port)","connectorKey":"test-key-0123456789abcdef","access":{"roles":["subscriber"]},"timeout":1}"#
            let admin = ["authorization": "Bearer \(demo.adminToken)"]
            let (status, body) = try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/services/location", body: location, headers: admin)
            #expect(status == 200, "\(body)")

            let log = DriverLog()
            var options = DemoDriverOptions()
            options.nodeURL = demo.nodeURL
            options.every = 0.05
            options.rounds = 2
            try await DemoDriver(options: options, report: log.add).run()
            let skipped = log.lines.filter { $0.contains("skipped a change") }
            #expect(skipped.count == 4, "each contact's move of each round is skipped: \(log.lines)")
            #expect(skipped.allSatisfy { $0.contains("location move") && $0.contains("unavailable") }, "\(skipped)")
            #expect(log.changes.filter { if case .presence = $0 { true } else { false } }.count >= 2, "presence still changes: \(log.lines)")
        }
    }

    @Test func withoutANodeTheDriverSaysToStartTheDemoFirst() async throws {
        let silent = try UnlistenedPort()
        var options = DemoDriverOptions()
        options.nodeURL = "http://127.0.0.1:\(silent.port)"
        options.rounds = 1
        let error = await #expect(throws: DemoDriverError.self) { try await DemoDriver(options: options, report: { _ in }).run() }
        let message = error?.description ?? ""
        #expect(message.contains("no WSE node answers at http://127.0.0.1:\(silent.port)"), "\(message)")
        #expect(message.contains("Start `wse demo` first"), "\(message)")
    }

    @Test func badOptionsAreRefusedBeforeAnyCall() async throws {
        for (change, expected) in [
            ({ (o: inout DemoDriverOptions) in o.nodeURL = "ftp://127.0.0.1:8080" }, "--node must be"),
            ({ (o: inout DemoDriverOptions) in o.nodeURL = "http://127.0.0.1:8080/wse" }, "--node must be"),
            ({ (o: inout DemoDriverOptions) in o.every = 0 }, "--every must be"),
            ({ (o: inout DemoDriverOptions) in o.rounds = 0 }, "--rounds must be"),
        ] {
            var options = DemoDriverOptions()
            change(&options)
            let error = await #expect(throws: DemoDriverError.self) { try await DemoDriver(options: options, report: { _ in }).run() }
            #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
        }
    }

    @Test func theSceneIsReplayableAndWalksInSmallSteps() {
        var first = DemoDriverScene(users: DemoDriver.contacts, seed: 42)
        var again = DemoDriverScene(users: DemoDriver.contacts, seed: 42)
        var other = DemoDriverScene(users: DemoDriver.contacts, seed: 43)
        let rounds = (0..<40).map { _ in first.nextRound() }
        #expect(rounds == (0..<40).map { _ in again.nextRound() }, "the same seed replays the same scene")
        #expect(rounds != (0..<40).map { _ in other.nextRound() }, "another seed gives another scene")

        // The first round gives every contact a place and a presence.
        for user in DemoDriver.contacts {
            #expect(rounds[0].contains { if case .move(user, _) = $0 { true } else { false } })
            #expect(rounds[0].contains { if case .presence(user, _, _) = $0 { true } else { false } })
        }
        for user in DemoDriver.contacts {
            let changes = rounds.flatMap { $0 }.filter { $0.user == user }
            let places = changes.compactMap { if case .move(_, let place) = $0 { place } else { nil } }
            #expect(places.count == 40, "\(user) walks one step every round")
            for (from, to) in zip(places, places.dropFirst()) {
                let metres = DemoDriverRoute.metres(
                    .init(name: "", latitude: from.latitude, longitude: from.longitude), .init(name: "", latitude: to.latitude, longitude: to.longitude))
                #expect(metres > 1 && metres <= DemoDriverRoute.stride + 1, "\(user) steps \(metres) m from \(from) to \(to)")
            }
            let presences = changes.compactMap { if case .presence(_, let basic, let note) = $0 { "\(basic) \(note)" } else { nil } }
            #expect(presences.count >= 2, "\(user) changes presence now and then")
            #expect(zip(presences, presences.dropFirst()).allSatisfy { $0 != $1 }, "each presence change is a change: \(presences)")
        }
        #expect(first.pause(every: 3) >= .milliseconds(2100) && first.pause(every: 3) <= .milliseconds(3900))
    }
}

/// What a driver reported, readable from the test while it runs.
final class DriverLog: Sendable {
    private let events = Mutex<[DemoDriverEvent]>([])

    @Sendable func add(_ event: DemoDriverEvent) { events.withLock { $0.append(event) } }

    var changes: [DemoDriverChange] {
        events.withLock { $0.compactMap { if case .change(let change) = $0 { change } else { nil } } }
    }

    var lines: [String] { events.withLock { $0.map(\.description) } }
}

/// A loopback port bound but not listening, for as long as this lives: a connection to it is refused at once.
final class UnlistenedPort {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = fd >= 0 && withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            if fd >= 0 { close(fd) }
            throw TestFailure("cannot bind a loopback port")
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
