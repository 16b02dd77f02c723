import Foundation
import IMSConnector
import Logging
import PresenceServer
import SIP
import WSECore

/// One watcher (a connector user) subscribed to `contacts` presentities; each change is one
/// contact re-publishing. Measured: from the start of the contact's PUBLISH to the presence push
/// arriving at connector IN. That span holds the NOTIFY→connector-IN path plus the PUBLISH
/// transaction and the server's NOTIFY, so it bounds the NOTIFY→connector-IN latency from above
/// (`notify-in` measures that path alone).
///
/// The server is the embedded presence server, or the one at `server` (Kamailio, whose users
/// `watcher` and `c0`…`c<contacts-1>` have the password "pw").
enum NotifyLatencyBenchmark {
    static func run(contacts: Int, changes: Int, server external: SIPEndpoint?) async throws {
        var quiet = Logger(label: "bench")
        quiet.logLevel = .error
        let names = (0..<contacts).map { "c\($0)" }
        var embedded: PresenceServer?
        let server: SIPEndpoint
        if let external {
            server = external
        } else {
            let presence = PresenceServer(.init(tcpPort: nil, domain: "127.0.0.1",
                                                users: Dictionary(uniqueKeysWithValues: (names + ["watcher"]).map { ($0, "pw") })),
                                          logger: quiet)
            try await presence.start()
            server = SIPEndpoint(.udp, await presence.udpAddress!)
            embedded = presence
        }
        let arrivals = PresenceArrivals()
        let inPort = try await startConnectorIN { push, time in await arrivals.record(push, at: time) }
        let callback = "http://127.0.0.1:\(inPort)/connector/in/v1/events"
        let connector = try makeConnector(server: server, users: ["watcher"])
        let backend = external == nil ? "embedded presence server" : "SIP server at \(server)"

        // contacts: one user agent each, with an initial publication
        let agents = names.map { name in
            SIPUserAgent(.init(addressOfRecord: SIPURI(user: name, host: "127.0.0.1"), username: name, password: "pw",
                               server: server)) { _ in }
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
        try await arrivals.waitForInitial(contacts, timeout: .seconds(60))
        report("notify: \(contacts) contacts published and watched through the \(backend) in \(ContinuousClock.now - setup)")

        var samples: [Duration] = []
        for change in 0..<changes {
            let index = change % contacts
            let started = ContinuousClock.now
            try await agents[index].publish(PIDFDocument(entity: "sip:c\(index)@127.0.0.1", basic: change % 2 == 0 ? .closed : .open,
                                                          note: "\(change)"))
            guard let arrived = await arrivals.arrival(of: change) else {
                throw BenchFailure("the push for change \(change) (contact c\(index)) did not reach connector IN within 10 s")
            }
            samples.append(arrived - started)
        }
        report("notify: PUBLISH start -> presence push at connector IN, \(contacts) watched contacts, \(backend): \(percentiles(samples))")
        for agent in agents { await agent.close() }
        await connector.shutdown()
        await embedded?.stop()
    }
}
