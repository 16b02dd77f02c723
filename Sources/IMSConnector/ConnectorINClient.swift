import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import WSECore

/// Pushes asynchronous data to a WSE node's connector IN (PROTOCOL.md) with the connector key.
///
/// One request in flight per callback URL: pushes queued meanwhile (several watchers of one presence,
/// several users' events) go together in the next request, in connector IN's batch form
/// (``PushCoalescer``); a lone push goes at once in the single form.
struct ConnectorINClient: Sendable {
    /// `{"pid","data","final"}`: data for a running process.
    struct ProcessPush: Encodable {
        var pid: String
        var data: JSONValue
        var final: Bool
    }

    /// `{"user","service","data"}`: an unsolicited push to every session of a user.
    struct UserPush: Encodable {
        var user: String
        var service: String
        var data: JSONValue
    }

    private let coalescer: PushCoalescer<String, Int?>
    /// For the node's other connector endpoints (``sipCredentials(of:callback:)``).
    private let key: String
    private let logger: Logger

    /// The client of every call to the node (the caller owns it).
    private let httpClient: HTTPClient

    init(key: String, httpClient: HTTPClient, logger: Logger) {
        self.key = key
        self.httpClient = httpClient
        self.logger = logger
        let poster = Poster(key: key, httpClient: httpClient, logger: logger)
        coalescer = PushCoalescer { pushes, url in await poster.post(pushes, to: url) }
    }

    /// POSTs `body` to `url`; returns the HTTP status, or nil when the node was unreachable.
    @discardableResult
    func push(_ body: some Encodable, to url: String) async -> Int? {
        await push([body], to: url)[0]
    }

    /// POSTs `bodies` to `url`, in order, in one request when there are several.
    /// - Returns: the status connector IN answered for each (nil when the node was unreachable).
    @discardableResult
    func push<Body: Encodable>(_ bodies: [Body], to url: String) async -> [Int?] {
        let encoder = JSONEncoder()
        let texts = bodies.map { (try? encoder.encode($0)).map { String(decoding: $0, as: UTF8.self) } ?? "null" }
        return await coalescer.send(texts, to: url)
    }

    /// The HTTP side: one push in the single form, several in the batch form.
    private struct Poster: Sendable {
        let key: String
        let httpClient: HTTPClient
        let logger: Logger

        func post(_ pushes: [String], to url: String) async -> [Int?] {
            guard pushes.count > 1 else { return [await request(pushes[0], to: url).status] }
            let (status, answer) = await request(ConnectorInBatch.body(pushes), to: url)
            if status == 200, let answer, let results = ConnectorInBatch.results(of: answer.readableBytesView, count: pushes.count) {
                for result in results where result.status >= 300 {
                    logger.info("connector IN refused a push", metadata: ["status": "\(result.status)", "url": "\(url)"])
                }
                return results.map(\.status)
            }
            // Not answered as a batch (a node without the batch form, or the batch refused whole): one by one.
            var statuses: [Int?] = []
            for push in pushes { statuses.append(await request(push, to: url).status) }
            return statuses
        }

        private func request(_ body: String, to url: String) async -> (status: Int?, answer: ByteBuffer?) {
            do {
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(key)")
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: body))
                let response = try await httpClient.execute(request, timeout: .seconds(5))
                let answer = try? await response.body.collect(upTo: 1 << 20)
                if response.status.code >= 300 {
                    logger.info("connector IN refused a push", metadata: ["status": "\(response.status.code)", "url": "\(url)"])
                }
                return (Int(response.status.code), answer)
            } catch {
                logger.warning("connector IN unreachable", metadata: ["url": "\(url)", "error": "\(error)"])
                return (nil, nil)
            }
        }
    }
}

extension ConnectorINClient {
    /// A user's SIP identity as the node keeps it (`GET /connector/v1/subscribers/{user}/sip`).
    struct SIPCredentials: Decodable, Sendable {
        var uri: String
        var authUser: String
        var realm: String
        var ha1: String
    }

    /// Looks `user`'s SIP identity up at the node whose connector IN is `callback`; nil when the node has none
    /// for that user (404) or refuses (the reason is logged).
    func sipCredentials(of user: String, callback: String) async throws -> SIPCredentials? {
        guard let base = callback.range(of: "/connector/in/v1/events", options: .backwards).map({ callback[..<$0.lowerBound] }),
            let escaped = user.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"]))
        else { return nil }
        var request = HTTPClientRequest(url: "\(base)/connector/v1/subscribers/\(escaped)/sip")
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        let response = try await httpClient.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 16 * 1024)
        guard response.status == .ok else {
            if response.status != .notFound {
                logger.warning("the node refused a SIP credentials lookup", metadata: ["user": "\(user)", "status": "\(response.status.code)"])
            }
            return nil
        }
        return try JSONDecoder().decode(SIPCredentials.self, from: Data(buffer: body))
    }
}
