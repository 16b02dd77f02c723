import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import WSECore

/// Posts data for a running process to WSE's connector IN (PROTOCOL.md).
///
/// One request in flight per callback URL: notifications that arrive while one is in flight go
/// together in the next request, in connector IN's batch form (``PushCoalescer``); a lone notification
/// goes at once in the single form.
struct ConnectorInClient: Sendable {
    enum Outcome: Equatable {
        case delivered
        /// WSE answered 404: the process is over, so the subscription must end.
        case unknownProcess
        case failed(String)
    }

    private let coalescer: PushCoalescer<String, Outcome>

    init(httpClient: HTTPClient, key: String, timeout: TimeAmount = .seconds(5)) {
        let poster = Poster(httpClient: httpClient, key: key, timeout: timeout)
        coalescer = PushCoalescer { pushes, url in await poster.post(pushes, to: url) }
    }

    func send(pid: String, data: JSONValue, final: Bool, to callback: String) async -> Outcome {
        let body: JSONValue = ["pid": .string(pid), "data": data, "final": .bool(final)]
        return await coalescer.send([body.jsonText], to: callback)[0]
    }

    /// The HTTP side: one push in the single form, several in the batch form.
    private struct Poster: Sendable {
        let httpClient: HTTPClient
        let key: String
        let timeout: TimeAmount

        func post(_ pushes: [String], to callback: String) async -> [Outcome] {
            guard pushes.count > 1 else { return [await postOne(pushes[0], to: callback)] }
            switch await request(ConnectorInBatch.body(pushes), to: callback) {
            case .success((200, let answer)):
                if let results = ConnectorInBatch.results(of: answer.readableBytesView, count: pushes.count) {
                    return results.map { Self.outcome(status: $0.status, message: $0.message ?? "") }
                }
            case .success, .failure:
                break
            }
            // Not answered as a batch (a node without the batch form, or the batch refused whole): one by one.
            var outcomes: [Outcome] = []
            for push in pushes { outcomes.append(await postOne(push, to: callback)) }
            return outcomes
        }

        private func postOne(_ push: String, to callback: String) async -> Outcome {
            switch await request(push, to: callback) {
            case .success((let status, let answer)): Self.outcome(status: status, message: String(buffer: answer))
            case .failure(let why): .failed(why.message)
            }
        }

        private static func outcome(status: Int, message: String) -> Outcome {
            switch status {
            case 200..<300: .delivered
            case 404: .unknownProcess
            default: .failed("connector IN answered \(status): \(message.prefix(200))")
            }
        }

        private struct Unreachable: Error {
            let message: String
        }

        private func request(_ body: String, to callback: String) async -> Result<(Int, ByteBuffer), Unreachable> {
            var request = HTTPClientRequest(url: callback)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
            request.body = .bytes(ByteBuffer(string: body))
            do {
                let response = try await httpClient.execute(request, timeout: timeout)
                let answer = try await response.body.collect(upTo: 1 << 20)
                return .success((Int(response.status.code), answer))
            } catch {
                return .failure(Unreachable(message: "cannot reach connector IN at \(callback): \(error)"))
            }
        }
    }
}
