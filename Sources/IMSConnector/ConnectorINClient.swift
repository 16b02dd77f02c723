import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import WSECore

/// Pushes asynchronous data to a WSE node's connector IN (PROTOCOL.md) with the connector key.
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

    let key: String
    let logger: Logger

    /// POSTs `body` to `url`; returns the HTTP status, or nil when the node was unreachable.
    @discardableResult
    func push(_ body: some Encodable, to url: String) async -> Int? {
        do {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            if response.status.code >= 300 {
                logger.info("connector IN refused a push", metadata: ["status": "\(response.status.code)", "url": "\(url)"])
            }
            return Int(response.status.code)
        } catch {
            logger.warning("connector IN unreachable", metadata: ["url": "\(url)", "error": "\(error)"])
            return nil
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
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
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
