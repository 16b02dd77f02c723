import Foundation
import IMSConnector
import Logging
import PresenceServer
import SIP
import WSECore

/// One watcher (a connector user) subscribed to `contacts` presentities on the embedded
/// presence server; each change is one contact re-publishing. Measured: from the start of
/// the contact's PUBLISH to the presence push arriving at connector IN. That span contains
/// the NOTIFY→connector-IN path (plus the PUBLISH transaction and the server's NOTIFY), so it
/// bounds the NOTIFY→connector-IN latency from above.
enum NotifyLatencyBenchmark {
    actor Arrivals {
        var times: [Int: ContinuousClock.Instant] = [:]
        var waiters: [Int: CheckedContinuation<ContinuousClock.Instant, Never>] = [:]
        var initial = 0

        func record(_ push: JSONValue, at time: ContinuousClock.Instant) {
            guard let note = push["data"]?["note"]?.stringValue else { return }
            if note == "initial" { initial += 1; return }
            guard let change = Int(note) else { return }
            if let waiter = waiters.removeValue(forKey: change) { waiter.resume(returning: time) } else { times[change] = time }
        }

        func arrival(of change: Int) async -> ContinuousClock.Instant {
            if let time = times.removeValue(forKey: change) { return time }
            return await withCheckedContinuation { waiters[change] = $0 }
        }
    }

    static func run(contacts: Int, changes: Int) async throws {
        var users = ["watcher": "pw"]
        for index in 0..<contacts { users["c\(index)"] = "pw" }
        var quiet = Logger(label: "bench")
        quiet.logLevel = .error
        let server = PresenceServer(.init(tcpPort: nil, domain: "127.0.0.1", users: users), logger: quiet)
        try await server.start()
        let serverPort = await server.udpAddress!.port!
        let arrivals = Arrivals()
        let inPort = try await startConnectorIN { push, time in await arrivals.record(push, at: time) }
        let callback = "http://127.0.0.1:\(inPort)/connector/in/v1/events"
        let connector = try IMSConnector(.init(
            listen: .init(port: 0), key: "bench", sip: .init(server: .init(host: "127.0.0.1", port: serverPort), domain: "127.0.0.1"),
            users: ["watcher": .init(username: "watcher", password: "pw")]), logger: quiet)

        // contacts: one user agent each, with an initial publication
        var agents: [SIPUserAgent] = []
        for index in 0..<contacts {
            let server = try SIPEndpoint(.udp, host: "127.0.0.1", port: serverPort)
            agents.append(SIPUserAgent(.init(addressOfRecord: SIPURI(user: "c\(index)", host: "127.0.0.1"), username: "c\(index)",
                                             password: "pw", server: server)) { _ in })
        }
        let setup = ContinuousClock.now
        try await forEachConcurrently(Array(agents.enumerated()), width: 50) { index, agent in
            try await agent.start()
            try await agent.publish(PIDFDocument(entity: "sip:c\(index)@127.0.0.1", basic: .open, note: "initial"))
        }
        try await forEachConcurrently(Array(0..<contacts), width: 50) { index in
            let call = ConnectorCall(pid: "p\(index)", service: "sip", action: "subscribe", user: "watcher",
                                     data: ["entity": .string("sip:c\(index)@127.0.0.1")], callback: callback)
            _ = try await connector.handle(call)
        }
        print("notify: \(contacts) contacts publishing, watcher subscribed; waiting for the first NOTIFYs")
        let deadline = ContinuousClock.now + .seconds(60)
        while await arrivals.initial < contacts {
            guard ContinuousClock.now < deadline else { throw BenchFailure("only \(await arrivals.initial) of \(contacts) first NOTIFYs arrived") }
            try await Task.sleep(for: .milliseconds(20))
        }
        print("notify: \(contacts) contacts published and watched in \(ContinuousClock.now - setup)")

        var samples: [Duration] = []
        for change in 0..<changes {
            let index = change % contacts
            let started = ContinuousClock.now
            try await agents[index].publish(PIDFDocument(entity: "sip:c\(index)@127.0.0.1", basic: change % 2 == 0 ? .closed : .open,
                                                          note: "\(change)"))
            let arrived = await arrivals.arrival(of: change)
            samples.append(arrived - started)
        }
        print("notify: PUBLISH start -> presence push at connector IN, \(contacts) watched contacts: \(percentiles(samples))")
        for agent in agents { await agent.close() }
        await connector.shutdown()
        await server.stop()
    }
}
