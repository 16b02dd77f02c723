import NIOCore

/// Client and server non-INVITE transactions (RFC 3261 §17.1.2, §17.2.2) over one transport.
///
/// Client side: `send(_:to:)` adds a Via with a fresh branch, retransmits over UDP with
/// Timer E (T1 doubling up to T2, T2 after a provisional), fails with `.timeout` at Timer F,
/// and drops responses that arrive after the final one (what Timer K waits for).
/// Server side: each new request goes once to the request handler; retransmissions of a
/// request get the stored response again until Timer J; ACK and stray responses are dropped.
///
/// The actor runs on an event loop of `timers.eventLoops` and its timers are that loop's scheduled
/// tasks: a timer does its work as it fires, on the actor, with no task of its own, and a test
/// loop's `advanceTime` drives every timer in virtual time.
public actor SIPTransactionLayer {
    /// Answers one request; the returned response is sent and kept for retransmissions.
    public typealias RequestHandler = @Sendable (SIPRequest, SIPEndpoint) async -> SIPResponse

    private struct ClientTransaction {
        let message: SIPMessage
        let endpoint: SIPEndpoint
        let continuation: CheckedContinuation<SIPResponse, any Error>
        var provisional = false
        /// Ends the transaction with `.timeout`.
        let timerF: Scheduled<Void>
        /// Retransmits, over UDP only.
        var timerE: Scheduled<Void>?

        func cancelTimers() {
            timerF.cancel()
            timerE?.cancel()
        }
    }

    private enum ServerState {
        case proceeding
        /// The response, resent to retransmissions until Timer J forgets it.
        case completed(SIPResponse, timerJ: Scheduled<Void>?)
    }

    public nonisolated let timers: SIPTimers
    /// Runs this actor and its timers; the user agent or server on top may share it.
    public nonisolated let eventLoop: any EventLoop
    private nonisolated let executor: any SerialExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private var transport: SIPTransport?
    private var requestHandler: RequestHandler?
    private var inboundQueue: AsyncStream<(SIPMessage, SIPEndpoint)>.Continuation?
    private var inboundPump: Task<Void, Never>?
    private var clients: [String: ClientTransaction] = [:]
    private var servers: [String: ServerState] = [:]
    /// Counts retransmissions sent (requests and responses): observable in tests and benchmarks.
    public private(set) var retransmissions = 0
    /// Client transactions waiting for their final response (observability, tests).
    public var pendingTransactions: Int { clients.count }

    public init(timers: SIPTimers = SIPTimers()) {
        self.timers = timers
        self.eventLoop = timers.eventLoops.next()
        self.executor = eventLoop.executor
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
        // Owned by the layer: `close()` ends it and waits for it. The handlers of new requests run as
        // its child tasks, so that a slow answer (a relayed MESSAGE) holds up nothing behind it.
        inboundPump = Task { [weak self] in
            await withDiscardingTaskGroup { group in
                for await (message, source) in inbound {
                    guard let answer = await self?.receive(message, from: source) else { continue }
                    group.addTask(operation: answer)
                }
            }
        }
        self.transport = transport
        return transport
    }

    /// Inbound messages waiting for this layer at most.
    static let inboundQueueLimit = 16_384

    /// Closes the transport and fails every pending client transaction.
    public func close() async {
        let closing = transport
        transport = nil  // from here on, a new transaction fails at once instead of outliving the close
        inboundQueue?.finish()
        inboundPump?.cancel()
        for (_, client) in clients {
            client.cancelTimers()
            client.continuation.resume(throwing: SIPTransactionError.closed)
        }
        clients.removeAll()
        for case .completed(_, let timerJ) in servers.values { timerJ?.cancel() }
        servers.removeAll()
        await inboundPump?.value
        inboundPump = nil
        await closing?.close()
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
        // The first transmission starts once the transaction below is known (this actor is busy until
        // then), so that a fast response finds it.
        async let transmitted: Void = transmitFirst(branch: branch, transport: transport)
        // Timers E and F start as the request goes to the transport (RFC 3261 §17.1.2.2).
        let response = try await withCheckedThrowingContinuation { continuation in
            let timerF = schedule(after: timers.transactionTimeout) { layer in
                layer.finish(branch, with: .failure(SIPTransactionError.timeout))
            }
            let timerE = endpoint.kind.isReliable ? nil : scheduleRetransmission(branch, after: timers.t1)
            clients[branch] = ClientTransaction(message: message, endpoint: endpoint, continuation: continuation,
                                                timerF: timerF, timerE: timerE)
        }
        await transmitted
        return response
    }

    /// Sends a response outside any transaction state (for a stateless answer).
    public func sendStateless(_ response: SIPResponse, to endpoint: SIPEndpoint) async {
        try? await transport?.send(.response(response), to: endpoint)
    }

    private func transmitFirst(branch: String, transport: SIPTransport) async {
        guard let client = clients[branch] else { return }
        do {
            try await transport.send(client.message, to: client.endpoint)
        } catch {
            finish(branch, with: .failure(SIPTransactionError.transport("\(error)")))
        }
    }

    private func scheduleRetransmission(_ branch: String, after interval: Duration) -> Scheduled<Void> {
        schedule(after: interval) { layer in layer.retransmit(branch, interval: interval) }
    }

    /// Timer E fired: resend and set it again.
    private func retransmit(_ branch: String, interval: Duration) {
        guard let client = clients[branch], let transport else { return }
        retransmissions += 1
        transport.retransmit(client.message, to: client.endpoint)
        let next = timers.retransmissionInterval(after: interval, provisional: client.provisional)
        clients[branch]?.timerE = scheduleRetransmission(branch, after: next)
    }

    /// Runs `work` on this actor after `delay` on the loop's clock.
    private func schedule(after delay: Duration, _ work: @escaping @Sendable (isolated SIPTransactionLayer) -> Void) -> Scheduled<Void> {
        eventLoop.scheduleTask(in: TimeAmount(delay)) { [weak self] in
            self?.assumeIsolated { work($0) }  // the loop is this actor's executor
        }
    }

    private func finish(_ branch: String, with result: Result<SIPResponse, any Error>) {
        guard let client = clients.removeValue(forKey: branch) else { return }
        client.cancelTimers()
        client.continuation.resume(with: result)
    }

    /// Takes one inbound message; returns the work of answering a new request, to run beside the queue.
    func receive(_ message: SIPMessage, from source: SIPEndpoint) -> (@Sendable () async -> Void)? {
        switch message {
        case .response(let response):
            guard let branch = try? response.headers.topVia().branch, clients[branch] != nil else {
                return nil  // unknown, or after the final response (Timer K's absorption)
            }
            if response.isProvisional {
                clients[branch]?.provisional = true
            } else {
                finish(branch, with: .success(response))
            }
            return nil
        case .request(let request):
            return receive(request, from: source)
        }
    }

    private func receive(_ request: SIPRequest, from source: SIPEndpoint) -> (@Sendable () async -> Void)? {
        if request.method == .ack { return nil }
        guard let via = try? request.headers.topVia() else { return nil }
        let key = "\(via.branch ?? ""):\(via.sentBy):\(request.method)"
        switch servers[key] {
        case .completed(let response, _):
            retransmissions += 1
            transport?.retransmit(.response(response), to: source)
            return nil
        case .proceeding:
            return nil
        case nil:
            servers[key] = .proceeding
        }
        guard let handler = requestHandler else { return nil }
        return {
            let response = await handler(request, source)
            await self.complete(key, response: response, to: source)
        }
    }

    private func complete(_ key: String, response: SIPResponse, to source: SIPEndpoint) async {
        guard servers[key] != nil else { return }  // closed meanwhile
        if source.kind.isReliable {
            servers.removeValue(forKey: key)
        } else {
            let timerJ = schedule(after: timers.transactionTimeout) { layer in _ = layer.servers.removeValue(forKey: key) }
            servers[key] = .completed(response, timerJ: timerJ)
        }
        try? await transport?.send(.response(response), to: source)
    }
}
