import AsyncHTTPClient
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization
import Testing
import Demo
import WSECore
import WSETesting

#if canImport(Glibc)
import Glibc
#endif

/// `wse demo --cluster 3` (node processes, PostgreSQL, nginx) losing a node to `kill -9` while 300 sessions spread
/// over the three nodes receive per-pid pushes offered at 1,000 events/s (issue 8's test list): after the clients of
/// the dead node resume through nginx, every session has every event connector IN accepted exactly once, in `seq`
/// order. The rate the cluster answers is printed (debug-build nodes on a loaded 2-core machine take a few hundred
/// a second: the pusher keeps at most 256 pushes in flight rather than let them queue into their timeout).
///
/// Connector IN has no idempotency key (PROTOCOL.md; docs/CLUSTER.md: "connector IN pushes are not idempotent"),
/// so the test's connector treats an answer other than 202 (503 `unavailable`, 429, a 502 from nginx, a
/// dropped connection) as "not accepted" and pushes the same session again later under a **new** event id:
/// docs/CLUSTER.md says such a push may have reached the client anyway (written to the socket before its commit,
/// or delivered by a node whose answer on the bus came too late), so each of those ids must appear at most once,
/// and each accepted id exactly once. A 404 is a failure: the connector would end a process that lives on.
@Suite(.serialized) struct ClusterFailoverAtScaleTests {
    static let sessions = 300
    static let eventsPerSecond = 1_000.0
    static let connectorKey = "ck_scale_" + String(repeating: "Wq3x", count: 6)
    /// Accepted pushes before the kill, and again once every client of the dead node has resumed.
    static let acceptedPerPhase = 2_000

    static func feed(at endpoint: String) -> String {
        #"{"id":"feed","endpoint":"\#(endpoint)","connectorKey":"\#(connectorKey)","access":{"roles":["subscriber"]}}"#
    }

    @Test func killingANodeUnderThreeHundredSessionsLosesRepeatsAndReordersNoAcceptedEvent() async throws {
        let connector = AcceptingConnector()
        try await connector.serve { endpoint in
            try await withRunningClusterDemo(nodes: 3, adjusting: { $0.maxSessionsPerUser = 0 }) { cluster in
                try await Self.run(cluster, endpoint: endpoint)
            }
        }
    }

    static func run(_ cluster: ClusterDemo.Running, endpoint: String) async throws {
        let url = cluster.addresses.nodeURL
        let admin = ["authorization": "Bearer \(cluster.addresses.adminToken)"]
        try await cluster.registerService("feed", feed(at: endpoint), within: .seconds(5))
        var tokens: [String] = []
        for user in DemoDeployment.users { tokens.append(try await login(user, at: url)) }
        let clients = (0..<sessions).map { ScaleClient(index: $0, token: tokens[$0 % tokens.count]) }
        let pusher = ScalePusher(url: url, key: connectorKey)
        let began = ContinuousClock.now
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                defer {
                    pusher.stop()
                    for client in clients { client.stop() }
                }
                // Opened in waves of 50, so that a loaded machine meets every hello's deadline.
                for wave in stride(from: 0, to: sessions, by: 50) {
                    for client in clients[wave..<min(wave + 50, sessions)] { tasks.addTask { await client.run(through: url) } }
                    try await eventually("sessions \(wave)..<\(wave + 50) opened and each runs a feed process", within: .seconds(30)) {
                        clients[wave..<min(wave + 50, sessions)].allSatisfy { $0.snapshot.pid != nil }
                    }
                }
                let opened = ContinuousClock.now
                let spread = try await Self.sessionsPerNode(totalling: sessions, at: url, admin: admin)
                #expect(spread.count == 3 && spread.values.allSatisfy { $0 > 0 }, "nginx spread the sessions over the three nodes: \(spread)")
                let (victimID, victimSessions) = try #require(spread.max { $0.value < $1.value })
                let victim = try #require(cluster.nodeProcesses.first { $0.id == victimID })

                let pids = clients.map { $0.snapshot.pid ?? "" }
                tasks.addTask { await pusher.run(pids: pids, rate: eventsPerSecond) }
                try await eventually("\(acceptedPerPhase) pushes accepted before the kill", within: .seconds(30)) {
                    pusher.acceptedCount >= acceptedPerPhase
                }
                let killed = ContinuousClock.now
                #expect(kill(victim.pid, SIGKILL) == 0)
                try await eventually("the clients of \(victimID) dropped and every client is connected again", within: .seconds(30)) {
                    clients.filter { $0.snapshot.drops > 0 }.count >= victimSessions && clients.allSatisfy { $0.snapshot.connected }
                }
                let resumed = ContinuousClock.now
                let dropped = clients.filter { $0.snapshot.drops > 0 }.count
                #expect(dropped == victimSessions, "the \(victimSessions) clients of \(victimID) dropped, and no other: \(dropped)")
                let mark = pusher.acceptedCount
                try await eventually("\(acceptedPerPhase) more pushes accepted after the resumes", within: .seconds(30)) {
                    pusher.acceptedCount >= mark + acceptedPerPhase
                }
                pusher.stop()
                try await eventually("every push answered", within: .seconds(15)) { pusher.inFlight == 0 }
                let ledger = pusher.ledger
                // On a timeout (recorded as a failure) the checks below still say which events are missing.
                _ = try? await eventually("every accepted event received", within: .seconds(20)) {
                    clients.allSatisfy { client in ledger.accepted(for: client.index).allSatisfy { client.snapshot.ids.contains($0) } }
                }
                for client in clients { client.stop() }
                try await tasks.waitForAll()
                let deliveredAnyway = Self.check(clients, ledger: ledger, killed: killed)
                print(
                    "[ClusterFailoverAtScale] opened \(sessions) sessions in \(opened - began) \(spread); killed \(victimID) (\(victimSessions) sessions); "
                        + "all resumed \(resumed - killed) after the kill; \(ledger.summary), of which reached their client (once): \(deliveredAnyway.sorted { $0.key < $1.key }); "
                        + "pushing \(pusher.pushingTime)")
            }
        } catch {
            try? await pusher.shutdown()
            throw error
        }
        try await pusher.shutdown()
    }

    /// What each client received, against what connector IN answered.
    /// - Returns: how many pushes not answered 202 reached their client all the same (each once, as checked), by answer.
    static func check(_ clients: [ScaleClient], ledger: ScalePusher.Ledger, killed: ContinuousClock.Instant) -> [String: Int] {
        var deliveredAnyway: [String: Int] = [:]
        let notFound = ledger.attempts.values.compactMap { attempt -> String? in
            guard case .notFound(let answer) = attempt.outcome else { return nil }
            let resumed = clients[attempt.session].snapshot.resumedAt.map { "resumed at \(Self.milliseconds($0 - killed)) ms" } ?? "not moved"
            let answered = attempt.answered.map { "\(Self.milliseconds($0 - killed))" } ?? "-"
            return "session \(attempt.session) (\(resumed)): sent at \(Self.milliseconds(attempt.sent - killed)) ms, answered at \(answered) ms: \(answer)"
        }
        #expect(notFound.isEmpty, "no push for a live process may be answered 404 (the connector would drop it); after the kill: \(notFound.sorted())")
        for client in clients {
            let state = client.snapshot
            let seqs = state.events.map(\.seq)
            #expect(seqs == Array(1..<(seqs.count + 1)), "client \(client.index): seq 1, 2, 3… with no gap, duplicate or reordering: \(seqs)")
            var seen = Set<Int>()
            for event in state.events {
                #expect(seen.insert(event.id).inserted, "client \(client.index): event \(event.id) received twice")
                #expect(ledger.session(of: event.id) == client.index, "client \(client.index): event \(event.id) was not pushed to it")
            }
            let accepted = Set(ledger.accepted(for: client.index))
            for id in seen.subtracting(accepted) {
                if case .notAccepted(let answer) = ledger.attempts[id]?.outcome { deliveredAnyway[answer, default: 0] += 1 }
            }
            let missing = accepted.filter { !seen.contains($0) }.sorted()
            #expect(missing.isEmpty, "client \(client.index): accepted events never received: \(missing)")
            #expect(state.fresh == 0 && state.unexpected.isEmpty, "client \(client.index): \(state.fresh) fresh sessions, \(state.unexpected)")
            #expect(state.resumes == state.drops, "client \(client.index): \(state.drops) drops, \(state.resumes) resumes")
            if state.drops > 0, let resumedAt = state.resumedAt {
                let later = ledger.accepted(for: client.index, sentAfter: resumedAt)
                #expect(!later.isEmpty && later.allSatisfy(seen.contains), "client \(client.index): pushes after its resume reach it on its new node")
            }
        }
        return deliveredAnyway
    }

    static func milliseconds(_ duration: Duration) -> Int { Int(duration / .milliseconds(1)) }

    /// Each node's session count once the heartbeats report all `total` sessions.
    static func sessionsPerNode(totalling total: Int, at url: String, admin: [String: String]) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        try await eventually("the nodes report \(total) sessions", within: .seconds(10)) {
            let (_, body) = try await httpCall("GET", "\(url)/admin/v1/nodes", headers: admin)
            counts = [:]
            for node in try JSONValue.parse(body)["nodes"]?.arrayValue ?? [] {
                if let id = node["id"]?.stringValue, let sessions = node["sessions"]?.intValue { counts[id] = sessions }
            }
            return counts.values.reduce(0, +) == total
        }
        return counts
    }
}

/// One browser-like client of ``ClusterFailoverAtScaleTests``: it opens its session through nginx, starts one
/// `feed` process, keeps every event it gets, acknowledges every 32 as wse.js does, and when its connection drops
/// comes back after wse.js's jittered backoff with `hello{resume:{session,lastSeq}}`.
final class ScaleClient: Sendable {
    struct Received: Sendable {
        let seq: Int
        let id: Int
    }

    struct State: Sendable {
        var session: String?
        var pid: String?
        var events: [Received] = []
        var ids: Set<Int> = []
        var lastSeq = 0
        var acknowledged = 0
        var welcomes = 0
        var connected = false
        var drops = 0
        var resumes = 0
        var resumedAt: ContinuousClock.Instant?
        /// Welcomes with a new session after the first: the resume failed.
        var fresh = 0
        var unexpected: [String] = []
    }

    let index: Int
    let token: String
    private let state = Mutex(State())
    private let closing = Mutex<(stopping: Bool, close: (@Sendable () async -> Void)?)>((false, nil))

    init(index: Int, token: String) {
        self.index = index
        self.token = token
    }

    var snapshot: State { state.withLock { $0 } }

    /// Connects, and reconnects after each drop, until ``stop()``.
    func run(through nodeURL: String) async {
        let url = nodeURL.replacingOccurrences(of: "http://", with: "ws://") + "/wse"
        var attempt = 0
        while !closing.withLock({ $0.stopping }) {
            let welcomesBefore = snapshot.welcomes
            _ = try? await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 20), logger: Logger(label: "test.scale")) {
                inbound, outbound, _ in
                let stopNow = self.closing.withLock { closing in
                    closing.close = { try? await outbound.close(.normalClosure, reason: "test over") }
                    return closing.stopping
                }
                if stopNow { return }
                try await outbound.write(.text(self.hello()))
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    for reply in self.receive(text) { try await outbound.write(.text(reply)) }
                }
            }
            closing.withLock { $0.close = nil }
            if closing.withLock({ $0.stopping }) { return }
            let dropped = state.withLock { state in
                defer { state.connected = false }
                if state.connected { state.drops += 1 }
                return state.connected
            }
            // wse.js: a random delay below 0.5 s × 2^attempt, the count starting again after each welcome.
            attempt = snapshot.welcomes > welcomesBefore || dropped ? 0 : attempt + 1
            let ceiling = min(30.0, 0.5 * pow(2, Double(attempt)))
            try? await Task.sleep(for: .seconds(Double.random(in: 0...ceiling)))
        }
    }

    /// Closes the connection (1000) and ends ``run(through:)``.
    func stop() {
        let close = closing.withLock { closing in
            closing.stopping = true
            return closing.close
        }
        if let close { Task { await close() } }
    }

    private func hello() -> String {
        state.withLock { state in
            guard let session = state.session else { return JSONValue.object(["type": "hello", "token": .string(token)]).jsonText }
            return JSONValue.object([
                "type": "hello", "token": .string(token),
                "resume": ["session": .string(session), "lastSeq": .number(Double(state.lastSeq))],
            ]).jsonText
        }
    }

    /// Keeps what `text` says; returns the messages to send back.
    private func receive(_ text: String) -> [String] {
        guard let message = try? JSONValue.parse(text) else {
            state.withLock { $0.unexpected.append(text) }
            return []
        }
        return state.withLock { state in
            switch message["type"]?.stringValue {
            case "welcome":
                let session = message["session"]?.stringValue
                state.welcomes += 1
                state.connected = true
                if state.session == nil {
                    state.session = session
                    return [#"{"type":"request","id":"follow","service":"feed","action":"follow","data":{}}"#]
                }
                if message["resumed"] == true && session == state.session {
                    state.resumes += 1
                    state.resumedAt = .now
                } else {
                    state.fresh += 1
                }
                return []
            case "response" where state.pid == nil:
                state.pid = message["pid"]?.stringValue
                return []
            case "event":
                guard let seq = message["seq"]?.intValue, let id = message["data"]?["id"]?.intValue, message["pid"]?.stringValue == state.pid else {
                    state.unexpected.append(text)
                    return []
                }
                state.events.append(Received(seq: seq, id: id))
                state.ids.insert(id)
                state.lastSeq = max(state.lastSeq, seq)
                guard state.lastSeq - state.acknowledged >= 32 else { return [] }
                state.acknowledged = state.lastSeq
                return [#"{"type":"ack","seq":\#(state.lastSeq)}"#]
            default:
                state.unexpected.append(text)
                return []
            }
        }
    }
}

/// The test's connector: per-pid pushes through nginx to connector IN at a set rate (open loop), each event's
/// data `{"id": n}` with a fresh `n`. A push not answered 202 is pushed again 0.25 s later under a new id;
/// a 404 is kept as a failure (a connector would end the process) and not pushed again.
final class ScalePusher: Sendable {
    enum Outcome: Sendable {
        case accepted
        /// With connector IN's answer.
        case notFound(String)
        /// 503, 429, 5xx from nginx, or no answer: the push may or may not have reached its session.
        case notAccepted(String)
    }

    struct Attempt: Sendable {
        let session: Int
        let sent: ContinuousClock.Instant
        var outcome: Outcome?
        var answered: ContinuousClock.Instant?
    }

    /// Every push made: its session and what connector IN answered.
    struct Ledger: Sendable {
        let attempts: [Int: Attempt]
        let acceptedBySession: [Int: [Int]]

        init(_ attempts: [Int: Attempt]) {
            self.attempts = attempts
            var accepted: [Int: [Int]] = [:]
            for (id, attempt) in attempts {
                if case .accepted = attempt.outcome { accepted[attempt.session, default: []].append(id) }
            }
            acceptedBySession = accepted
        }

        func session(of id: Int) -> Int? { attempts[id]?.session }
        func accepted(for session: Int) -> [Int] { acceptedBySession[session] ?? [] }
        func accepted(for session: Int, sentAfter instant: ContinuousClock.Instant) -> [Int] {
            accepted(for: session).filter { attempts[$0].map { $0.sent > instant } ?? false }
        }

        var summary: String {
            var accepted = 0
            var refused: [String: Int] = [:]
            for attempt in attempts.values {
                switch attempt.outcome {
                case .accepted: accepted += 1
                case .notFound: refused["404", default: 0] += 1
                case .notAccepted(let why): refused[why, default: 0] += 1
                case nil: refused["unanswered", default: 0] += 1
                }
            }
            return "\(attempts.count) pushes, \(accepted) accepted (202), not accepted: \(refused.sorted { $0.key < $1.key })"
        }
    }

    private struct Book {
        var attempts: [Int: Attempt] = [:]
        var retries: [(session: Int, due: ContinuousClock.Instant)] = []
        var nextID = 1
        var accepted = 0
        var inFlight = 0
        var maxInFlight = 0
        var started: ContinuousClock.Instant?
        var stopped: ContinuousClock.Instant?
    }

    let url: String
    let key: String
    private let client: HTTPClient
    private let book = Mutex(Book())
    private let stopping = Mutex(false)
    /// Pushes in flight at most, one per connection of the pool: a connector's pool is bounded, and past this the
    /// offered rate falls to what the cluster answers rather than queueing pushes into their 10 s timeout.
    static let maxInFlight = 256

    init(url: String, key: String) {
        self.url = url
        self.key = key
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    var acceptedCount: Int { book.withLock { $0.accepted } }
    var inFlight: Int { book.withLock { $0.inFlight } }
    var ledger: Ledger { Ledger(book.withLock { $0.attempts }) }
    var pushingTime: String {
        book.withLock { book in
            guard let started = book.started, let stopped = book.stopped else { return "-" }
            let seconds = Double((stopped - started).components.seconds) + Double((stopped - started).components.attoseconds) / 1e18
            let latencies = book.attempts.values.compactMap { attempt in attempt.answered.map { ($0 - attempt.sent) / .milliseconds(1) } }.sorted()
            guard !latencies.isEmpty else { return "-" }
            return String(
                format: "%.1f s, %.0f pushes/s, answered in p50 %.0f ms, p99 %.0f ms, max %.0f ms; at most %d in flight", seconds,
                Double(book.attempts.count) / seconds, latencies[latencies.count / 2], latencies[latencies.count * 99 / 100],
                latencies[latencies.count - 1], book.maxInFlight)
        }
    }

    func stop() {
        stopping.withLock { $0 = true }
        book.withLock { $0.stopped = $0.stopped ?? .now }
    }

    func shutdown() async throws { try await client.shutdown() }

    /// Pushes round-robin to `pids` (retries first when due) at `rate` per second until ``stop()``.
    func run(pids: [String], rate: Double) async {
        let start = ContinuousClock.now
        book.withLock { $0.started = start }
        var sent = 0
        var next = 0
        await withTaskGroup(of: Void.self) { group in
            while !stopping.withLock({ $0 }) {
                let due = Int((ContinuousClock.now - start) / .seconds(1) * rate)
                // Open loop, but a stall (a loaded machine) does not turn into a burst: at most 50 ms of backlog.
                sent = max(sent, due - Int(rate / 20))
                while sent < due {
                    let now = ContinuousClock.now
                    let push: (id: Int, session: Int)? = book.withLock { book in
                        guard book.inFlight < Self.maxInFlight else { return nil }
                        let session: Int
                        if let retry = book.retries.firstIndex(where: { $0.due <= now }) {
                            session = book.retries.remove(at: retry).session
                        } else {
                            session = next
                            next = (next + 1) % pids.count
                        }
                        defer { book.nextID += 1 }
                        book.attempts[book.nextID] = Attempt(session: session, sent: now)
                        book.inFlight += 1
                        return (book.nextID, session)
                    }
                    guard let push else { break }
                    sent += 1
                    group.addTask { await self.push(push.id, to: pids[push.session], session: push.session) }
                }
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    private func push(_ id: Int, to pid: String, session: Int) async {
        var request = HTTPClientRequest(url: "\(url)/connector/in/v1/events")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "authorization", value: "Bearer \(key)")
        request.body = .bytes(ByteBuffer(string: #"{"pid":"\#(pid)","data":{"id":\#(id)}}"#))
        let outcome: Outcome
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
            switch response.status.code {
            // A 202 is an acceptance, whatever it counts: the client must then have the event.
            case 202: outcome = .accepted
            case 404: outcome = .notFound(body)
            default: outcome = .notAccepted("\(response.status.code)")
            }
        } catch {
            outcome = .notAccepted("no answer")
        }
        book.withLock { book in
            book.attempts[id]?.outcome = outcome
            book.attempts[id]?.answered = .now
            book.maxInFlight = max(book.maxInFlight, book.inFlight)
            book.inFlight -= 1
            switch outcome {
            case .accepted: book.accepted += 1
            case .notAccepted: book.retries.append((session, .now + .milliseconds(250)))
            case .notFound: break
            }
        }
    }
}
