import Logging
import NIOCore
import SIP

/// A small SIP server on the SIP library: registrar (RFC 3261 §10), presence agent
/// (PUBLISH RFC 3903, SUBSCRIBE/NOTIFY RFC 6665/3856 with PIDF) and MESSAGE relay
/// (RFC 3428), with digest authentication, on UDP and TCP. What `wse ims` and `wse demo`
/// run so that the SIP service needs nothing installed; it answers the same flows as the
/// Kamailio configuration in scripts/infra/kamailio.
///
/// The actor runs on its transaction layer's event loop, whose clock also runs its expiry sweep.
public actor PresenceServer {
    /// Where the server listens and whom it knows.
    public struct Configuration: Sendable {
        public var host: String
        /// nil: no UDP. 0: any free port.
        public var udpPort: Int?
        /// nil: no TCP. 0: any free port.
        public var tcpPort: Int?
        /// The domain of the users' addresses and the digest realm.
        public var domain: String
        /// username → password. Every request from a user must authenticate.
        public var users: [String: String]
        public var algorithm: DigestAlgorithm
        public var maxExpires: Int
        public var timers: SIPTimers
        /// How a watcher without a rule of the presentity is treated (RFC 5025 sub-handling): by default
        /// `confirm`, pending until the presentity decides.
        public var defaultRule: PresenceRule
        /// Rules set from the start, by presentity and then watcher (addresses of record).
        public var rules: [String: [String: PresenceRule]]

        public init(host: String = "127.0.0.1", udpPort: Int? = 0, tcpPort: Int? = 0, domain: String? = nil,
                    users: [String: String], algorithm: DigestAlgorithm = .md5, maxExpires: Int = 3600,
                    timers: SIPTimers = SIPTimers(), defaultRule: PresenceRule = .confirm,
                    rules: [String: [String: PresenceRule]] = [:]) {
            self.host = host
            self.udpPort = udpPort
            self.tcpPort = tcpPort
            self.domain = domain ?? host
            self.users = users
            self.algorithm = algorithm
            self.maxExpires = maxExpires
            self.timers = timers
            self.defaultRule = defaultRule
            self.rules = rules
        }
    }

    public nonisolated let configuration: Configuration
    let logger: Logger
    let layer: SIPTransactionLayer
    let nonces = DigestNonceIssuer()
    /// The highest `nc` accepted so far for each live nonce, so that a replayed request is refused.
    var nonceCounts: [String: UInt32] = [:]
    var transport: SIPTransport?
    /// Drops what expired, once a second.
    var sweeper: RepeatedTask?
    var notifyQueues = NotifyQueues()
    /// Dialogs that got a NOTIFY while none of theirs was in flight: `notifier` starts a sender for each.
    let notifyDialogs: AsyncStream<String>.Continuation
    private let dialogsToNotify: AsyncStream<String>
    /// Runs the NOTIFY senders as its child tasks; `stop()` ends it and waits for it.
    var notifier: Task<Void, Never>?

    var bindings: [String: [Binding]] = [:]
    var presentities: [String: [String: Publication]] = [:]
    /// Authorisation rules by presentity, then watcher (addresses of record).
    var rules: [String: [String: PresenceRule]]
    /// By dialog id ("Call-ID;our tag"), grouped by presentity: a PUBLISH notifies its watchers without a scan.
    var subscriptions = GroupedDictionary<String, String, PresenceSubscription>(groupedBy: \.entity)

    public init(_ configuration: Configuration, logger: Logger = Logger(label: "wse.presence-server")) {
        self.configuration = configuration
        self.logger = logger
        self.layer = SIPTransactionLayer(timers: configuration.timers)
        self.rules = configuration.rules
        (dialogsToNotify, notifyDialogs) = AsyncStream.makeStream(of: String.self)
    }

    public nonisolated var unownedExecutor: UnownedSerialExecutor { layer.unownedExecutor }

    /// Now on the clock of the server's timers (virtual in tests).
    var now: NIODeadline { layer.eventLoop.now }

    /// Binds the sockets and starts answering.
    public func start() async throws {
        let transportConfiguration = SIPTransport.Configuration(host: configuration.host, udpPort: configuration.udpPort,
                                                                tcpPort: configuration.tcpPort)
        transport = try await layer.start(transportConfiguration) { [weak self] request, source in
            guard let self else { return SIPResponse(to: request, statusCode: 503) }
            return await self.handle(request, from: source)
        }
        sweeper = layer.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [weak self] _ in
            self?.assumeIsolated { $0.expire(now: $0.now) }  // the loop is this actor's executor
        }
        notifier = Task { [weak self, dialogsToNotify] in
            await withDiscardingTaskGroup { group in
                for await dialog in dialogsToNotify {
                    group.addTask { await self?.sendWaitingNotifies(of: dialog) }
                }
            }
        }
    }

    /// Stops answering and closes the sockets; NOTIFYs still waiting are not sent.
    public func stop() async {
        sweeper?.cancel()
        notifyDialogs.finish()
        await layer.close()
        await notifier?.value
        transport = nil
    }

    public var udpAddress: SocketAddress? { transport?.udpAddress }
    public var tcpAddress: SocketAddress? { transport?.tcpAddress }

    /// The server's own URI for Contact headers.
    var contactURI: SIPURI {
        let (host, port) = transport?.sentBy(.udp) ?? (configuration.host, 5060)
        return SIPURI(host: host, port: port)
    }

    func handle(_ request: SIPRequest, from source: SIPEndpoint) async -> SIPResponse {
        switch request.method {
        case .options: return SIPResponse(to: request, statusCode: 200, allowing: Self.allowed)
        case .register, .publish, .subscribe, .message:
            if let challenge = authenticate(request) { return challenge }
            switch request.method {
            case .register: return register(request, from: source)
            case .publish: return publish(request)
            case .subscribe: return subscribe(request, from: source)
            default: return await relayMessage(request)
            }
        case .invite, .bye, .cancel, .notify: return SIPResponse(to: request, statusCode: 405, allowing: Self.allowed)
        default: return SIPResponse(to: request, statusCode: 501, allowing: Self.allowed)
        }
    }

    static let allowed = "REGISTER, PUBLISH, SUBSCRIBE, MESSAGE, OPTIONS"

    /// Whole seconds of `amount`, for Expires values.
    static func seconds(_ amount: TimeAmount) -> Int { Int(amount.nanoseconds / 1_000_000_000) }

    /// Drops what has expired: bindings, publications (watchers hear of it), subscriptions
    /// (with a final NOTIFY).
    func expire(now: NIODeadline) {
        nonceCounts = nonceCounts.filter { nonces.check($0.key) == .valid }
        for (aor, list) in bindings {
            let alive = list.filter { $0.expiresAt > now }
            bindings[aor] = alive.isEmpty ? nil : alive
        }
        for (entity, publications) in presentities {
            let alive = publications.filter { $0.value.expiresAt > now }
            if alive.count != publications.count {
                presentities[entity] = alive.isEmpty ? nil : alive
                notifyWatchers(of: entity)
            }
        }
        for (id, subscription) in subscriptions where subscription.expiresAt <= now {
            subscriptions[id] = nil
            sendNotify(subscription, state: SIPSubscriptionState(state: "terminated", reason: "timeout"))
        }
    }
}
