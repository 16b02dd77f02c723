import WSEApp
import ServiceLifecycle
import WSECore

/// `wse demo drive`: makes the demo's contacts live, so that alice's Enhanced Address Book changes
/// while a newcomer watches. It signs in as bob and carol through the node's public protocol, as
/// their pages would (`POST /idp/token`, a `/wse` session each, `sip register`), then round after
/// round walks their phones along routes through Paris (`location move`) and changes their
/// presence (`sip publish`). When stopped (graceful shutdown: Ctrl-C in `wse demo drive`) it
/// gives the phones back to the location service's own simulation (`location release`),
/// unregisters and closes the sessions.
///
/// Run it as a `Service` (a graceful shutdown ends it cleanly), or call `run()` with
/// `options.rounds` set. Every change and step is reported through `report`.
public struct DemoDriver: Service {
    /// The contacts driven: alice's contacts in the demo, so that alice is the one to watch.
    public static let contacts = ["bob", "carol"]

    let options: DemoDriverOptions
    let report: @Sendable (DemoDriverEvent) -> Void

    public init(options: DemoDriverOptions, report: @escaping @Sendable (DemoDriverEvent) -> Void) {
        self.options = options
        self.report = report
    }

    public func run() async throws {
        guard options.every > 0, options.every.isFinite else { throw DemoDriverError("--every must be a positive number of seconds") }
        if let rounds = options.rounds, rounds < 1 { throw DemoDriverError("--rounds must be 1 or more") }
        let endpoint = try DemoDriverEndpoint(options.nodeURL, caFile: options.caFile)
        try await DemoDriverNode.with(endpoint) { node in
            try await node.checkServing()
            report(.status("driving \(Self.contacts.joined(separator: " and ")) on \(endpoint.baseURL), seed \(options.seed) "
                           + "(--seed \(options.seed) replays this scene)"))
            var scene = DemoDriverScene(users: Self.contacts, seed: options.seed)
            var roundsLeft = options.rounds
            while true {
                var roundsPlayed = 0
                do {
                    var logins: [(user: String, token: String)] = []
                    for user in Self.contacts { logins.append((user, try await node.login(user, password: options.password))) }
                    try await withSessions(logins[...], endpoint: endpoint, origin: options.origin ?? endpoint.baseURL) { sessions in
                        try await drive(sessions, scene: &scene, roundsLeft: &roundsLeft, played: &roundsPlayed)
                    }
                    return
                } catch let lost as DemoDriverSessionLost where roundsPlayed > 0 && !Task.isShuttingDownGracefully {
                    // A session that worked and then closed (an expired token after an hour, a node restart): sign in again.
                    report(.status("\(lost); signing in again"))
                }
            }
        }
    }

    /// Registers the contacts, plays rounds until `roundsLeft` is 0 or a graceful shutdown, then leaves.
    /// `played` counts the rounds as they are played (a lost session cuts the count short).
    private func drive(
        _ sessions: [DemoDriverSession], scene: inout DemoDriverScene, roundsLeft: inout Int?, played: inout Int
    ) async throws {
        let phones = try await Self.phoneNumbers(of: sessions)
        for session in sessions {
            try await session.request("sip", "register")
            report(.status("\(DemoDriverChange.column(session.user)) signed in, registered on sip, phone \(phones[session.user] ?? "?")"))
        }
        while roundsLeft.map({ $0 > 0 }) ?? true, !Task.isShuttingDownGracefully, !Task.isCancelled {
            try await play(scene.nextRound(), sessions: sessions, phones: phones)
            played += 1
            roundsLeft = roundsLeft.map { $0 - 1 }
            guard roundsLeft.map({ $0 > 0 }) ?? true else { break }
            let pause = scene.pause(every: options.every)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
        await leave(sessions, phones: phones)
    }

    /// Makes one round's changes, each through its contact's own session. A change the node cannot
    /// make just now (busy, timed out) is reported and skipped; any other refusal stops the driver.
    private func play(_ changes: [DemoDriverChange], sessions: [DemoDriverSession], phones: [String: String]) async throws {
        for change in changes {
            guard let session = sessions.first(where: { $0.user == change.user }) else { continue }
            do {
                switch change {
                case .presence(_, let basic, let note):
                    try await session.request("sip", "publish", ["basic": .string(basic), "note": .string(note)])
                case .move(let user, let place):
                    try await session.request("location", "move", [
                        "address": .string(phones[user] ?? ""), "latitude": .number(place.latitude), "longitude": .number(place.longitude),
                    ])
                }
                report(.change(change))
            } catch let refusal as DemoDriverRequestError where refusal.isTransient {
                report(.status("\(DemoDriverChange.column(change.user)) skipped a change: \(refusal)"))
            }
        }
    }

    /// Puts things back as the demo had them: the phones follow the location service's own
    /// simulation again, and the contacts are unregistered. Failures are reported, not thrown:
    /// the driver is stopping anyway.
    private func leave(_ sessions: [DemoDriverSession], phones: [String: String]) async {
        for session in sessions {
            var undone: [String] = []
            do {
                try await session.request("location", "release", ["address": .string(phones[session.user] ?? "")])
                undone.append("phone released")
            } catch {
                report(.status("\(session.user): could not release the phone: \(error)"))
            }
            do {
                try await session.request("sip", "unregister")
                undone.append("unregistered")
            } catch {
                report(.status("\(session.user): could not unregister: \(error)"))
            }
            report(.status("\(DemoDriverChange.column(session.user)) \((undone + ["signed out"]).joined(separator: ", "))"))
        }
    }

    /// Opens one session per login, nested, and runs `body` with all of them; each closes when `body` ends.
    private func withSessions(
        _ logins: ArraySlice<(user: String, token: String)>, endpoint: DemoDriverEndpoint, origin: String,
        opened: [DemoDriverSession] = [], _ body: ([DemoDriverSession]) async throws -> Void
    ) async throws {
        guard let login = logins.first else { return try await body(opened) }
        try await DemoDriverSession.with(user: login.user, token: login.token, endpoint: endpoint, origin: origin) { session in
            try await withSessions(logins.dropFirst(), endpoint: endpoint, origin: origin, opened: opened + [session], body)
        }
    }

    /// Each driven contact's phone number (`tel:` URI), from the others' contact lists (`contacts list`).
    static func phoneNumbers(of sessions: [DemoDriverSession]) async throws -> [String: String] {
        var phones: [String: String] = [:]
        for session in sessions {
            for contact in try await session.request("contacts", "list")["contacts"]?.arrayValue ?? [] {
                if let id = contact["id"]?.stringValue, let address = contact["address"]?.stringValue { phones[id] = address }
            }
        }
        for session in sessions where phones[session.user] == nil {
            throw DemoDriverError("no contact list names \(session.user)'s phone: the driver needs the demo's contacts service")
        }
        return phones
    }
}
