import Foundation
import IMSConnector
import PresenceServer
import SIP
import Testing
import WSECore

/// One connector user watching 50 contacts on the embedded presence server, every user agent on
/// its own UDP socket, all set up concurrently: every first NOTIFY and every later change reaches
/// connector IN, at the right process, even while a neighbour binds thousands of UDP ports.
/// This timed out from about 20 contacts on while our UDP sockets set SO_REUSEADDR: a later
/// bind(0) (ours or a neighbour's) could take over an agent's port (SIPTests' UDPPortTests).
@Suite("Many watched contacts")
struct ManyWatchedContactsTests {
    static let contacts = (0..<50).map { "c\($0)" }
    /// RFC 3261's own timers (see ConnectorHarness.realTime).
    static let timers = SIPTimers()
    /// The server and the contacts bind here, and so do the neighbours: an address of the test's own.
    static let host = "127.0.0.77"

    @Test func everyNotifyOfFiftyWatchedContactsReachesConnectorIN() async throws {
        let passwords = Dictionary(uniqueKeysWithValues: (Self.contacts + ["watcher"]).map { ($0, "\($0)-pw") })
        let server = PresenceServer(.init(host: Self.host, udpPort: 0, tcpPort: nil, domain: "127.0.0.1", users: passwords, defaultRule: .allow))
        try await server.start()
        let serverEndpoint = SIPEndpoint(.udp, try #require(await server.udpAddress))
        let connectorIN = FakeConnectorIN()
        try await connectorIN.start()
        let connector = try IMSConnector(.init(
            listen: .init(port: 0), key: "k",
            sip: .init(server: .init(host: Self.host, port: try #require(serverEndpoint.address.port)), domain: "127.0.0.1"),
            users: ["watcher": .init(username: "watcher", password: "watcher-pw")]), timers: Self.timers)
        let agents = Self.contacts.map { name in
            SIPUserAgent(.init(addressOfRecord: SIPURI(user: name, host: "127.0.0.1"), username: name, password: "\(name)-pw",
                               server: serverEndpoint, localHost: Self.host, timers: Self.timers)) { _ in }
        }
        do {
            try await Self.publish(agents, note: "initial")
            try await Self.watchAll(connector, callback: await connectorIN.url)
            let first = try await connectorIN.waitFor(Self.contacts.count, "with an initial state") {
                $0["data"]?["note"]?.stringValue?.hasPrefix("initial ") == true
            }
            #expect(Set(first.compactMap { $0["pid"]?.stringValue }) == Set(Self.contacts.map { "watch-\($0)" }))

            // With ~28k ephemeral ports, 4,000 shared-port binds would shadow one of the 51 sockets on
            // the test's address with a probability of 99.9 %; with ports of their own, none.
            let neighbours = try UDPNeighbours(count: 4000, host: Self.host)
            defer { neighbours.close() }
            try await Self.publish(agents, note: "changed")
            let changes = try await connectorIN.waitFor(Self.contacts.count, "with the changed state") {
                $0["data"]?["note"]?.stringValue?.hasPrefix("changed ") == true
            }
            for change in changes {
                let contact = String(try #require(change["pid"]?.stringValue).dropFirst("watch-".count))
                #expect(change["data"]?["note"]?.stringValue == "changed \(contact)", "the change of \(contact) reached its own watch")
                #expect(change["data"]?["entity"]?.stringValue == "sip:\(contact)@127.0.0.1")
            }
        } catch {
            await Self.stop(agents, connector, connectorIN, server)
            throw error
        }
        await Self.stop(agents, connector, connectorIN, server)
    }

    /// Every contact (re)publishes at once, with the note "<note> <contact>".
    static func publish(_ agents: [SIPUserAgent], note: String) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (agent, name) in zip(agents, contacts) {
                group.addTask {
                    try await agent.start()
                    try await agent.publish(PIDFDocument(entity: "sip:\(name)@127.0.0.1", basic: .open, note: "\(note) \(name)"))
                }
            }
            try await group.waitForAll()
        }
    }

    /// The watcher subscribes to every contact at once, one process "watch-<contact>" each.
    static func watchAll(_ connector: IMSConnector, callback: String) async throws {
        try await withThrowingTaskGroup(of: ConnectorReply.self) { group in
            for name in contacts {
                group.addTask {
                    try await connector.handle(ConnectorCall(pid: ProcessID("watch-\(name)"), service: "sip", action: "subscribe", user: "watcher",
                                                             data: ["entity": .string("sip:\(name)@127.0.0.1")], callback: callback))
                }
            }
            for try await reply in group { #expect(reply == .accepted) }
        }
    }

    static func stop(_ agents: [SIPUserAgent], _ connector: IMSConnector, _ connectorIN: FakeConnectorIN, _ server: PresenceServer) async {
        for agent in agents { await agent.close() }
        await connector.shutdown()
        await connectorIN.stop()
        await server.stop()
    }
}
