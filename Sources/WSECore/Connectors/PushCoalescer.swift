/// Sends a connector's pushes to connector IN with at most one request in flight per callback URL, and
/// coalesces the pushes that arrive meanwhile into the next request (the batch form of connector IN,
/// docs/PROTOCOL-EXTENSIONS.md). A push that finds its URL idle goes at once, alone: coalescing adds no
/// latency when only one is queued.
///
/// Pushes keep their order per URL (and a caller's pushes stay together and in order). No task is made: the
/// caller whose push found the URL busy and came first after the request in flight sends the next
/// request for everyone waiting, and hands the results out.
public actor PushCoalescer<Push: Sendable, Outcome: Sendable> {
    /// Sends pushes to one URL in one request (one push: the single form) and returns one outcome per push,
    /// in order.
    public typealias Send = @Sendable (_ pushes: [Push], _ url: String) async -> [Outcome]

    private struct Waiting {
        let pushes: [Push]
        let continuation: CheckedContinuation<Turn, Never>
    }

    /// What a waiting caller is woken with.
    private enum Turn {
        /// The outcomes of its pushes, sent by another caller.
        case done([Outcome])
        /// Its turn to send for everyone waiting: these callers' pushes, its own first.
        case send([Waiting])
    }

    private let sendRequest: Send
    /// Per URL: the callers waiting while a request is in flight (present while one is).
    private var lanes: [String: [Waiting]] = [:]

    public init(send: @escaping Send) {
        self.sendRequest = send
    }

    /// Sends `pushes` (in order, in one request together with whatever waits for the same URL).
    /// - Returns: one outcome per push, in order.
    public func send(_ pushes: [Push], to url: String) async -> [Outcome] {
        guard lanes[url] != nil else {
            lanes[url] = []
            let outcomes = await sendRequest(pushes, url)
            handOn(url)
            return outcomes
        }
        let turn = await withCheckedContinuation { continuation in
            lanes[url, default: []].append(Waiting(pushes: pushes, continuation: continuation))
        }
        switch turn {
        case .done(let outcomes):
            return outcomes
        case .send(let callers):
            let outcomes = await sendRequest(callers.flatMap(\.pushes), url)
            var next = pushes.count
            for caller in callers.dropFirst() {
                caller.continuation.resume(returning: .done(Array(outcomes[next..<next + caller.pushes.count])))
                next += caller.pushes.count
            }
            handOn(url)
            return Array(outcomes.prefix(pushes.count))
        }
    }

    /// Pushes waiting for the request in flight to `url` to be done.
    func waitingPushes(to url: String) -> Int {
        lanes[url]?.reduce(0) { $0 + $1.pushes.count } ?? 0
    }

    /// The request in flight for `url` is done: the first waiting caller sends for all that wait, or the URL is idle.
    private func handOn(_ url: String) {
        guard let waiting = lanes[url], let first = waiting.first else {
            lanes[url] = nil
            return
        }
        lanes[url] = []
        first.continuation.resume(returning: .send(waiting))
    }
}
