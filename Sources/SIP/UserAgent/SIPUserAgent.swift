import NIOCore

/// A SIP user agent for one address-of-record: registration, presence publication and
/// subscriptions, and instant messages, all through one outbound proxy (the registrar /
/// presence server), answering digest challenges with the configured credentials.
///
/// Unsolicited input (NOTIFY, MESSAGE) is reported through `onEvent`; unknown methods get 501.
public actor SIPUserAgent {
    /// Who the agent is and where it sends everything.
    public struct Configuration: Sendable {
        public var addressOfRecord: SIPURI
        public var username: String
        public var password: String
        /// The MD5 HA1 of `username`, the server's realm and the password, used instead of `password` when set
        /// (credentials from a store that keeps no clear password); `password` may then be empty.
        public var ha1: String?
        /// The registrar / proxy / presence server every request goes to.
        public var server: SIPEndpoint
        public var localHost: String
        public var registerExpires: Int
        public var publishExpires: Int
        public var subscribeExpires: Int
        public var timers: SIPTimers

        public init(addressOfRecord: SIPURI, username: String, password: String, server: SIPEndpoint,
                    localHost: String = "127.0.0.1", registerExpires: Int = 3600, publishExpires: Int = 3600,
                    subscribeExpires: Int = 600, timers: SIPTimers = SIPTimers(), ha1: String? = nil) {
            self.ha1 = ha1
            self.addressOfRecord = addressOfRecord
            self.username = username
            self.password = password
            self.server = server
            self.localHost = localHost
            self.registerExpires = registerExpires
            self.publishExpires = publishExpires
            self.subscribeExpires = subscribeExpires
            self.timers = timers
        }
    }

    public nonisolated let configuration: Configuration
    let onEvent: @Sendable (SIPUserAgentEvent) -> Void
    let layer: SIPTransactionLayer
    var transport: SIPTransport?

    var challenge: (challenge: DigestChallenge, isProxy: Bool)?
    var nonceCount = 0

    var registration: Registration?
    var publication: Publication?
    /// By entity, grouped by dialog (Call-ID and our tag) so that a NOTIFY finds its subscription at once.
    var subscriptions = GroupedDictionary<String, DialogID, Subscription>(groupedBy: \.dialogID)

    public init(_ configuration: Configuration, onEvent: @escaping @Sendable (SIPUserAgentEvent) -> Void) {
        self.configuration = configuration
        self.onEvent = onEvent
        self.layer = SIPTransactionLayer(timers: configuration.timers)
    }

    /// Binds the local socket(s): UDP, or TCP (a listener too, so the server can reach the Contact).
    public func start() async throws {
        guard transport == nil else { return }
        let kind = configuration.server.kind
        let transportConfiguration = SIPTransport.Configuration(host: configuration.localHost,
                                                                udpPort: kind == .udp ? 0 : nil,
                                                                tcpPort: kind == .tcp ? 0 : nil)
        transport = try await layer.start(transportConfiguration) { [weak self] request, source in
            guard let self else { return SIPResponse(to: request, statusCode: 503) }
            return await self.handle(request, from: source)
        }
    }

    /// Cancels refresh timers and closes the sockets (without un-registering).
    public func close() async {
        registration?.refresh?.cancel()
        publication?.refresh?.cancel()
        for subscription in subscriptions.values { subscription.refresh?.cancel() }
        registration = nil
        publication = nil
        subscriptions.removeAll()
        await layer.close()
        transport = nil
    }

    /// The local socket address requests come from (nil before `start`).
    public var localAddress: SocketAddress? {
        configuration.server.kind == .udp ? transport?.udpAddress : transport?.tcpAddress
    }

    /// Number of retransmissions the transaction layer sent (observability, tests).
    public var retransmissions: Int { get async { await layer.retransmissions } }
    /// Requests waiting for their final response (observability, tests).
    public var pendingTransactions: Int { get async { await layer.pendingTransactions } }

    /// `<sip:user@host:port[;transport=tcp]>`
    var contact: SIPNameAddress {
        let kind = configuration.server.kind
        let (host, port) = transport?.sentBy(kind) ?? (configuration.localHost, 0)
        var uri = SIPURI(scheme: .sip, user: configuration.username, host: host, port: port)
        if kind == .tcp { uri.parameters.setRaw("transport", "tcp") }
        return SIPNameAddress(uri: uri)
    }

    /// A request outside any dialog, From our AoR with a new tag.
    func makeRequest(_ method: SIPMethod, uri: SIPURI, to: SIPURI, callID: String = SIPIdentifiers.callID(),
                     sequence: UInt32 = 1, fromTag: String = SIPIdentifiers.tag()) -> SIPRequest {
        var headers = SIPHeaders()
        headers.add(SIPHeaderName.from, SIPNameAddress(uri: configuration.addressOfRecord, parameters: SIPDialog.tagged(fromTag)).description)
        headers.add(SIPHeaderName.to, SIPNameAddress(uri: to).description)
        headers.add(SIPHeaderName.callID, callID)
        headers.add(SIPHeaderName.cseq, SIPCSeq(sequence, method).description)
        return SIPRequest(method: method, uri: uri, headers: headers)
    }

    /// Sends a request through the server, answering up to one fresh digest challenge (and
    /// any `stale` one). `request`'s CSeq is bumped for each retry, so callers can keep counting.
    func execute(_ request: inout SIPRequest) async throws(SIPUserAgentError) -> SIPResponse {
        if transport == nil { throw .transport("user agent not started") }
        var answeredFresh = false
        while true {
            authorize(&request)
            let response: SIPResponse
            do {
                response = try await layer.send(request, to: configuration.server)
            } catch let error as SIPTransactionError {
                if error == .timeout { throw .timeout }
                throw .transport(error.description)
            } catch {
                throw .transport("\(error)")
            }
            guard response.statusCode == 401 || response.statusCode == 407 else { return response }
            let header = response.statusCode == 401 ? SIPHeaderName.wwwAuthenticate : SIPHeaderName.proxyAuthenticate
            guard let value = response.headers[header], let offered = try? DigestChallenge(parsing: value) else {
                throw .protocolError("\(response.statusCode) without a usable \(header)")
            }
            if answeredFresh && !offered.stale { throw .authenticationFailed(statusCode: response.statusCode) }
            answeredFresh = answeredFresh || !offered.stale
            challenge = (offered, response.statusCode == 407)
            nonceCount = 0
            if var cseq = try? request.headers.cseq() {
                cseq.sequence += 1
                request.headers.set(SIPHeaderName.cseq, cseq.description)
            }
        }
    }

    /// Adds credentials for the last challenge (pre-emptively, counting nc up): REGISTER in
    /// Authorization, other methods in Proxy-Authorization, the way registrars and proxies expect.
    private func authorize(_ request: inout SIPRequest) {
        request.headers.remove(SIPHeaderName.authorization)
        request.headers.remove(SIPHeaderName.proxyAuthorization)
        guard let challenge else { return }
        nonceCount += 1
        let credentials =
            if let ha1 = configuration.ha1 {
                DigestCredentials(answering: challenge.challenge, method: request.method, uri: request.uri.description,
                                  username: configuration.username, ha1: ha1, nonceCount: nonceCount, cnonce: SIPIdentifiers.random(16))
            } else {
                DigestCredentials(answering: challenge.challenge, method: request.method, uri: request.uri.description,
                                  username: configuration.username, password: configuration.password,
                                  nonceCount: nonceCount, cnonce: SIPIdentifiers.random(16))
            }
        let header = request.method == .register ? SIPHeaderName.authorization : SIPHeaderName.proxyAuthorization
        request.headers.add(header, credentials.description)
    }

    /// Throws unless the response is a 2xx.
    func requireSuccess(_ response: SIPResponse) throws(SIPUserAgentError) {
        guard response.isSuccess else { throw .rejected(statusCode: response.statusCode, reason: response.reason) }
    }

    /// Runs `action` after `seconds` on the transaction layer's clock, unless cancelled first.
    func schedule(after seconds: Int, _ action: @escaping @Sendable (SIPUserAgent) async -> Void) -> Scheduled<Void> {
        layer.eventLoop.scheduleTask(in: .seconds(Int64(seconds))) { [weak self] in
            guard let self else { return }
            // Not owned, and need not be: a refresh is one transaction, which ends by Timer F or
            // when `close()` closes the transaction layer.
            Task { await action(self) }
        }
    }

    /// When to refresh something that expires in `expires` seconds: well before, never at once.
    static func refreshDelay(_ expires: Int) -> Int { max(1, min(expires / 2 + expires / 4, expires - 30)) }
}
