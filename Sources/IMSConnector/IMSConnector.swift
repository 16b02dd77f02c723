import AsyncHTTPClient
import ConnectorKit
import Foundation
import Logging
import Metrics
import SIP
import WSECore

/// The SIP/IMS service connector (SPEC component 6): the server side of connector OUT for
/// the `sip` service. One SIP user agent per WSE user; actions register, unregister,
/// publish, subscribe/unsubscribe and message; NOTIFYs go to the subscribing process and
/// incoming MESSAGEs to the user's sessions, through connector IN.
public actor IMSConnector {
    public nonisolated let configuration: IMSConnectorConfiguration
    let server: SIPEndpoint
    let timers: SIPTimers
    let pusher: ConnectorINClient
    let logger: Logger
    /// Each user's agent, from its first use (a task, so that concurrent first calls share one start).
    var agents: [String: Task<SIPUserAgent, any Error>] = [:]
    let metricsFactory: any MetricsFactory
    /// Per user: the bounded queue of its agent's events, in the order the agent reported them.
    var eventQueues: [String: UserEventQueue] = [:]
    /// Hands each new user's event queue to `delivery`.
    private let newEventQueues: AsyncStream<UserEventQueue>.Continuation
    private let eventQueuesToDeliver: AsyncStream<UserEventQueue>
    /// Delivers every user's events to connector IN, one child task per user; `shutdown()` ends it.
    private var delivery: Task<Void, Never>?
    /// Per user: the callback URL and service id of its latest request, for unsolicited pushes.
    var userRoutes: [String: (callback: String, service: String)] = [:]
    /// A running `subscribe` process: where its presence events go.
    struct WatchProcess: Sendable {
        let user: String
        let entity: String
        let callback: String

        var target: WatchTarget { WatchTarget(user: user, entity: entity) }
    }

    /// A user's view of one entity: the processes watching it get its NOTIFYs.
    struct WatchTarget: Hashable, Sendable {
        let user: String
        let entity: String
    }

    /// By pid, grouped by target so that a NOTIFY finds its processes without a scan.
    var watches = GroupedDictionary<String, WatchTarget, WatchProcess>(groupedBy: \.target)
    /// Where the users' presence rules are kept (the embedded presence server); nil: the SIP core's own
    /// business (`authorize` and `rules` answer `unavailable`).
    let authorization: (any PresenceAuthorizing)?
    /// The client made for `configuration.caFile`, shut down by `shutdown()`.
    private let ownedHTTPClient: HTTPClient?

    public init(_ configuration: IMSConnectorConfiguration, timers: SIPTimers = SIPTimers(),
                logger: Logger = Logger(label: "wse.ims-connector"),
                metricsFactory: any MetricsFactory = MetricsSystem.factory,
                authorization: (any PresenceAuthorizing)? = nil) throws {
        self.configuration = configuration
        self.authorization = authorization
        self.metricsFactory = metricsFactory
        self.server = try configuration.serverEndpoint()
        self.timers = timers
        self.logger = logger
        if let tls = configuration.tls {
            do {
                _ = try tls.serverConfiguration()
            } catch {
                throw IMSConnectorError.configuration("tls: the certificate \(tls.certificate) and key \(tls.key) cannot be used: \(error)")
            }
        }
        if let caFile = configuration.caFile {
            let trusted: TrustedCA
            do {
                trusted = try TrustedCA(file: caFile)
            } catch {
                throw IMSConnectorError.configuration("caFile: \(caFile) is not a readable PEM file of certificates: \(error)")
            }
            ownedHTTPClient = UpstreamExchange.makeHTTPClient(trusting: trusted)
        } else {
            ownedHTTPClient = nil
        }
        self.pusher = ConnectorINClient(
            key: configuration.callbackKey ?? configuration.key, httpClient: ownedHTTPClient ?? .shared, logger: logger)
        (eventQueuesToDeliver, newEventQueues) = AsyncStream.makeStream()
    }

    /// Runs one connector OUT call.
    public func handle(_ call: ConnectorCall) async throws(IMSConnectorError) -> ConnectorReply {
        let action = try IMSAction(action: call.action, data: call.data)
        let (user, pid) = (call.user.rawValue, call.pid.rawValue)
        let agent = try await agent(for: user, callback: call.callback)
        userRoutes[user] = (call.callback, call.service.rawValue)
        do throws(SIPUserAgentError) {
            switch action {
            case .register:
                let expires = try await agent.register()
                return .result(["registered": true, "expires": .number(Double(expires))])
            case .unregister:
                try await agent.unregister()
                return .result(["registered": false])
            case .publish(let basic, let note):
                // The tuple's <timestamp> is the time of this change; watchers get it as `since`.
                try await agent.publish(PIDFDocument(entity: agent.configuration.addressOfRecord.description, basic: basic,
                                                     note: note, timestamp: Date()))
                return .result(["published": true, "basic": .string(basic.rawValue)])
            case .subscribe(let entity):
                watches[pid] = WatchProcess(user: user, entity: entity.addressOfRecord, callback: call.callback)
                do throws(SIPUserAgentError) {
                    try await agent.subscribe(to: entity)
                } catch {
                    watches[pid] = nil
                    throw error
                }
                return .accepted
            case .unsubscribe(let entity):
                try await agent.unsubscribe(from: entity)
                await endWatches(user: user, entity: entity.addressOfRecord, reason: "unsubscribed")
                return .result(["unsubscribed": .string(entity.addressOfRecord)])
            case .message(let recipient, let text):
                try await agent.sendMessage(to: recipient, text: text)
                return .result(["sent": true])
            case .authorize(let watcher, let rule):
                let presentity = agent.configuration.addressOfRecord.addressOfRecord
                try await presenceAuthorization().setRule(rule, for: watcher.addressOfRecord, of: presentity)
                return .result(["watcher": .string(watcher.addressOfRecord), "rule": .string(rule.rawValue)])
            case .rules:
                let rules = try await presenceAuthorization().rules(of: agent.configuration.addressOfRecord.addressOfRecord)
                return .result(["rules": .object(rules.mapValues { .string($0.rawValue) })])
            }
        } catch {
            throw IMSConnectorError(error, user: user, action: call.action)
        }
    }

    private func presenceAuthorization() throws(SIPUserAgentError) -> any PresenceAuthorizing {
        guard let authorization else {
            // Answered like a SIP core without the feature: `unavailable` for the browser.
            throw .rejected(statusCode: 501, reason: "Not Implemented: the SIP core keeps presence rules itself (XCAP pres-rules)")
        }
        return authorization
    }

    /// Cancels a process (`DELETE /v1/requests/{pid}`): a watch ends its subscription when it
    /// was the user's last one for that entity.
    public func cancel(pid: String) async throws(IMSConnectorError) {
        guard let watch = watches[pid] else { throw .notFound("no running process \(pid)") }
        watches[pid] = nil
        let stillWatched = !watches.keys(in: watch.target).isEmpty
        if !stillWatched, let agent = try? await agents[watch.user]?.value, let entity = try? SIPURI(parsing: watch.entity) {
            try? await agent.unsubscribe(from: entity)
        }
    }

    /// Un-registers nobody; closes every user agent's sockets, then delivers the events they had reported.
    public func shutdown() async {
        let running = agents
        agents.removeAll()
        for starting in running.values {
            if let agent = try? await starting.value { await agent.close() }
        }
        newEventQueues.finish()
        for queue in eventQueues.values { queue.finish() }
        eventQueues.removeAll()
        await delivery?.value
        try? await ownedHTTPClient?.shutdown()
    }

    /// The user's agent, started on first use with the credentials of the configuration file, else those the
    /// node keeps for the user (looked up at the node of `callback`). Concurrent first calls share one start.
    private func agent(for user: String, callback: String) async throws(IMSConnectorError) -> SIPUserAgent {
        let starting: Task<SIPUserAgent, any Error>
        if let existing = agents[user] {
            starting = existing
        } else {
            let credentials = try await credentials(of: user, callback: callback)
            if let started = agents[user] {
                starting = started  // another call started it while the node was asked
            } else {
                starting = startAgent(for: user, credentials: credentials)
                agents[user] = starting
            }
        }
        do {
            return try await starting.value
        } catch {
            if agents[user] == starting { agents[user] = nil }
            throw .unavailable("cannot open a SIP socket for \(user): \(error)")
        }
    }

    /// Who the user's agent is: the configuration file's entry, or the node's subscriber record.
    struct AgentCredentials: Sendable {
        var addressOfRecord: SIPURI
        var username: String
        var password: String
        var ha1: String?
    }

    private func credentials(of user: String, callback: String) async throws(IMSConnectorError) -> AgentCredentials {
        if let configured = configuration.users[user] {
            return AgentCredentials(
                addressOfRecord: SIPURI(user: configured.username, host: configuration.sip.domain), username: configured.username,
                password: configured.password)
        }
        let stored: ConnectorINClient.SIPCredentials?
        do {
            stored = try await pusher.sipCredentials(of: user, callback: callback)
        } catch {
            throw .unavailable("the node could not be asked for \(user)'s SIP credentials: \(error)")
        }
        guard let stored, let uri = try? SIPURI(parsing: stored.uri) else {
            throw .forbidden("user \(user) has no SIP credentials (neither in this connector's configuration nor at the node)")
        }
        return AgentCredentials(addressOfRecord: uri, username: stored.authUser, password: "", ha1: stored.ha1)
    }

    private func startAgent(for user: String, credentials: AgentCredentials) -> Task<SIPUserAgent, any Error> {
        let settings = configuration.sip
        let agentConfiguration = SIPUserAgent.Configuration(
            addressOfRecord: credentials.addressOfRecord, username: credentials.username,
            password: credentials.password, server: server, registerExpires: settings.registerExpires ?? 3600,
            publishExpires: settings.publishExpires ?? 3600, subscribeExpires: settings.subscribeExpires ?? 600, timers: timers,
            ha1: credentials.ha1)
        // One queue and one consumer per user: the user's events reach connector IN in the order
        // the agent reported them (a task per event would let a stale presence overtake a fresh one).
        let queue = UserEventQueue(user: user, limit: configuration.eventQueueLimit ?? IMSConnectorConfiguration.defaultEventQueueLimit,
                                   metricsFactory: metricsFactory, logger: logger)
        let agent = SIPUserAgent(agentConfiguration) { event in queue.push(event) }
        eventQueues[user] = queue
        startDelivery()
        newEventQueues.yield(queue)
        // A task so that concurrent first calls share one start; it ends once the sockets are bound.
        return Task {
            do {
                try await agent.start()
            } catch {
                queue.finish()
                throw error
            }
            return agent
        }
    }

    /// Starts the task that delivers every user's events, on the first user's first call.
    private func startDelivery() {
        guard delivery == nil else { return }
        delivery = Task { [weak self, eventQueuesToDeliver] in
            await withDiscardingTaskGroup { group in
                for await queue in eventQueuesToDeliver {
                    group.addTask {
                        await queue.deliver { event in await self?.deliver(event, user: queue.user) }
                    }
                }
            }
        }
    }

    func deliver(_ event: SIPUserAgentEvent, user: String) async {
        switch event {
        case .presence(let entity, let document, let state):
            let data = Self.presenceJSON(entity: entity, document: document, state: state)
            let targets = watches.entries(in: WatchTarget(user: user, entity: entity))
            if state.isTerminated {
                for (pid, _) in targets { watches[pid] = nil }
            }
            // Every watch of this presence in one request per node (the batch form when there are several).
            for (callback, pids) in Self.byCallback(targets) {
                let pushes = pids.map { ConnectorINClient.ProcessPush(pid: $0, data: data, final: state.isTerminated) }
                for (pid, status) in zip(pids, await pusher.push(pushes, to: callback)) where status == 404 {
                    await forgetProcess(pid)
                }
            }
        case .message(let from, _, let body):
            guard let route = userRoutes[user] else {
                logger.info("incoming MESSAGE dropped: no callback known yet", metadata: ["user": "\(user)"])
                return
            }
            let data: JSONValue = ["kind": "message", "from": .string(from), "text": .string(body)]
            await pusher.push(ConnectorINClient.UserPush(user: user, service: route.service, data: data), to: route.callback)
        }
    }

    /// The node no longer knows this process (404): stop watching for it.
    private func forgetProcess(_ pid: String) async {
        try? await cancel(pid: pid)
    }

    private func endWatches(user: String, entity: String, reason: String) async {
        let ending = watches.entries(in: WatchTarget(user: user, entity: entity))
        for (pid, _) in ending { watches[pid] = nil }
        let data: JSONValue = ["kind": "presence", "entity": .string(entity), "state": "terminated", "reason": .string(reason)]
        for (callback, pids) in Self.byCallback(ending) {
            await pusher.push(pids.map { ConnectorINClient.ProcessPush(pid: $0, data: data, final: true) }, to: callback)
        }
    }

    /// The pids of `watches` by callback URL (the node that runs them), in the order the URLs first come.
    static func byCallback(_ watches: [(key: String, value: WatchProcess)]) -> [(callback: String, pids: [String])] {
        var groups: [(callback: String, pids: [String])] = []
        for (pid, watch) in watches {
            if let index = groups.firstIndex(where: { $0.callback == watch.callback }) {
                groups[index].pids.append(pid)
            } else {
                groups.append((watch.callback, [pid]))
            }
        }
        return groups
    }

    /// `{"kind":"presence","entity","basic","note","since"?,"state"?,"reason"?}`; no document (nothing published,
    /// or not shown to this watcher) is closed. `since` (an extension, docs/PROTOCOL-EXTENSIONS.md) is the
    /// document's latest PIDF `<timestamp>`; `state` is there when the subscription is not active: `pending`
    /// (the presentity has not decided yet) or `terminated` (with the SIP `reason`, `rejected` when blocked).
    static func presenceJSON(entity: String, document: PIDFDocument?, state: SIPSubscriptionState? = nil) -> JSONValue {
        var data: [String: JSONValue] = ["kind": "presence", "entity": .string(entity),
                                         "basic": .string(document?.basic.rawValue ?? "closed"),
                                         "note": document?.note.map(JSONValue.string) ?? .null]
        if let since = document?.timestamp { data["since"] = .string(PIDFDocument.timestampText(since)) }
        if let state, state.state != "active" {
            data["state"] = .string(state.state)
            if let reason = state.reason { data["reason"] = .string(reason) }
        }
        return .object(data)
    }
}
