/// Client and server non-INVITE transactions (RFC 3261 §17.1.2, §17.2.2) over one transport.
///
/// Client side: `send(_:to:)` adds a Via with a fresh branch, retransmits over UDP with
/// Timer E (T1 doubling up to T2, T2 after a provisional), fails with `.timeout` at Timer F,
/// and after the final response absorbs retransmitted responses for Timer K.
/// Server side: each new request goes once to the request handler; retransmissions of a
/// request get the stored response again until Timer J; ACK and stray responses are dropped.
public actor SIPTransactionLayer {
    /// Answers one request; the returned response is sent and kept for retransmissions.
    public typealias RequestHandler = @Sendable (SIPRequest, SIPEndpoint) async -> SIPResponse

    private struct ClientTransaction {
        let message: SIPMessage
        let endpoint: SIPEndpoint
        let continuation: CheckedContinuation<SIPResponse, any Error>
        var provisional = false
        var timers: [Task<Void, Never>] = []
    }

    private enum ServerState {
        case proceeding
        case completed(SIPResponse)
    }

    public nonisolated let timers: SIPTimers
    private var transport: SIPTransport?
    private var requestHandler: RequestHandler?
    private var inboundQueue: AsyncStream<(SIPMessage, SIPEndpoint)>.Continuation?
    private var inboundPump: Task<Void, Never>?
    private var clients: [String: ClientTransaction] = [:]
    /// Branches of finished client transactions, kept for Timer K.
    private var completedClients: Set<String> = []
    private var servers: [String: ServerState] = [:]
    /// Counts retransmissions sent (requests and responses): observable in tests and benchmarks.
    public private(set) var retransmissions = 0

    public init(timers: SIPTimers = SIPTimers()) {
        self.timers = timers
    }

    /// Starts a transport whose inbound messages feed this layer.
    public func start(_ configuration: SIPTransport.Configuration, handler: @escaping RequestHandler) async throws -> SIPTransport {
        requestHandler = handler
        // One queue taken in arrival order: a task per message would let messages overtake each other.
        // When it is full (a flood), new messages are dropped, as a busy UDP socket would drop them.
        let (inbound, queue) = AsyncStream.makeStream(of: (SIPMessage, SIPEndpoint).self,
                                                      bufferingPolicy: .bufferingOldest(Self.inboundQueueLimit))
        let transport = try await SIPTransport.start(configuration, onMessage: { message, source in queue.yield((message, source)) })
        inboundQueue = queue
        inboundPump = Task { [weak self] in
            for await (message, source) in inbound { await self?.receive(message, from: source) }
        }
        self.transport = transport
        return transport
    }

    /// Inbound messages waiting for this layer at most.
    static let inboundQueueLimit = 16_384

    /// Closes the transport and fails every pending client transaction.
    public func close() async {
        inboundQueue?.finish()
        inboundPump?.cancel()
        for (_, client) in clients {
            client.timers.forEach { $0.cancel() }
            client.continuation.resume(throwing: SIPTransactionError.closed)
        }
        clients.removeAll()
        await transport?.close()
        transport = nil
    }

    /// Runs a client non-INVITE transaction and returns its final response.
    public func send(_ request: SIPRequest, to endpoint: SIPEndpoint) async throws -> SIPResponse {
        guard let transport else { throw SIPTransactionError.closed }
        var request = request
        let branch = SIPIdentifiers.branch()
        let (host, port) = transport.sentBy(endpoint.kind)
        request.headers.remove(SIPHeaderName.via)
        request.headers.prepend(SIPHeaderName.via, "SIP/2.0/\(endpoint.kind.rawValue) \(host):\(port);branch=\(branch);rport")
        if !request.headers.contains(SIPHeaderName.maxForwards) { request.headers.add(SIPHeaderName.maxForwards, "70") }
        let message = SIPMessage.request(request)
        return try await withCheckedThrowingContinuation { continuation in
            clients[branch] = ClientTransaction(message: message, endpoint: endpoint, continuation: continuation)
            Task { await self.transmitFirst(branch: branch) }
        }
    }

    /// Sends a response outside any transaction state (for a stateless answer).
    public func sendStateless(_ response: SIPResponse, to endpoint: SIPEndpoint) async {
        try? await transport?.send(.response(response), to: endpoint)
    }

    private func transmitFirst(branch: String) async {
        guard let client = clients[branch], let transport else { return }
        do {
            try await transport.send(client.message, to: client.endpoint)
        } catch {
            finish(branch, with: .failure(SIPTransactionError.transport("\(error)")))
            return
        }
        guard clients[branch] != nil else { return }
        var timerTasks = [Task { [weak self, timers] in
            try? await Task.sleep(for: timers.transactionTimeout)
            guard !Task.isCancelled else { return }
            await self?.finish(branch, with: .failure(SIPTransactionError.timeout))
        }]
        if !client.endpoint.kind.isReliable {
            timerTasks.append(Task { [weak self, timers] in
                var interval = timers.t1
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard !Task.isCancelled, let self, let provisional = await self.retransmit(branch) else { return }
                    interval = provisional ? timers.t2 : min(interval * 2, timers.t2)
                }
            })
        }
        clients[branch]?.timers = timerTasks
    }

    /// Timer E fired: resend; returns whether a provisional arrived, nil when the transaction is over.
    private func retransmit(_ branch: String) async -> Bool? {
        guard let client = clients[branch], let transport else { return nil }
        retransmissions += 1
        try? await transport.send(client.message, to: client.endpoint)
        return client.provisional
    }

    private func finish(_ branch: String, with result: Result<SIPResponse, any Error>) {
        guard let client = clients.removeValue(forKey: branch) else { return }
        client.timers.forEach { $0.cancel() }
        client.continuation.resume(with: result)
        if !client.endpoint.kind.isReliable {
            completedClients.insert(branch)
            Task { [weak self, timers] in
                try? await Task.sleep(for: timers.t4)
                await self?.forgetCompleted(branch)
            }
        }
    }

    private func forgetCompleted(_ branch: String) { completedClients.remove(branch) }

    func receive(_ message: SIPMessage, from source: SIPEndpoint) async {
        switch message {
        case .response(let response):
            guard let branch = try? response.headers.topVia().branch else { return }
            if clients[branch] == nil { return }  // unknown, or absorbed by Timer K
            if response.isProvisional {
                clients[branch]?.provisional = true
            } else {
                finish(branch, with: .success(response))
            }
        case .request(let request):
            await receive(request, from: source)
        }
    }

    private func receive(_ request: SIPRequest, from source: SIPEndpoint) async {
        if request.method == .ack { return }
        guard let via = try? request.headers.topVia() else { return }
        let key = "\(via.branch ?? ""):\(via.sentBy):\(request.method)"
        switch servers[key] {
        case .completed(let response):
            retransmissions += 1
            try? await transport?.send(.response(response), to: source)
            return
        case .proceeding:
            return
        case nil:
            servers[key] = .proceeding
        }
        guard let handler = requestHandler else { return }
        Task {
            let response = await handler(request, source)
            await self.complete(key, response: response, to: source)
        }
    }

    private func complete(_ key: String, response: SIPResponse, to source: SIPEndpoint) async {
        servers[key] = .completed(response)
        try? await transport?.send(.response(response), to: source)
        if source.kind.isReliable {
            servers.removeValue(forKey: key)
        } else {
            Task { [weak self, timers] in
                try? await Task.sleep(for: timers.transactionTimeout)
                await self?.forgetServer(key)
            }
        }
    }

    private func forgetServer(_ key: String) { servers.removeValue(forKey: key) }
}
