import WSEApp
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import WSECore

/// The driver's HTTP calls to the node: `GET /healthz` and the identity proxy's `POST /idp/token`.
struct DemoDriverNode: Sendable {
    let endpoint: DemoDriverEndpoint
    private let client: HTTPClient

    /// Runs `body` with an HTTP client of its own, shut down afterwards. Unlike the shared client it
    /// does not retry a refused connection until the timeout: a node that is not running is said at once.
    static func with(_ endpoint: DemoDriverEndpoint, _ body: (DemoDriverNode) async throws -> Void) async throws {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        configuration.tlsConfiguration = endpoint.tls
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        do {
            try await body(DemoDriverNode(endpoint: endpoint, client: client))
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// Fails with what to do when nothing, or something else than a WSE node, answers.
    func checkServing() async throws {
        let (status, _) = try await call("GET", "/healthz")
        guard status == 200 else {
            throw DemoDriverError("\(endpoint.baseURL)/healthz answered \(status): is --node the URL of a WSE node (`wse demo`)?")
        }
    }

    /// Logs `user` in; the access token for `hello`.
    func login(_ user: String, password: String) async throws -> String {
        let body: JSONValue = ["username": .string(user), "password": .string(password)]
        let (status, answer) = try await call("POST", "/idp/token", body: body)
        switch status {
        case 200:
            guard let token = answer["access_token"]?.stringValue else {
                throw DemoDriverError("\(endpoint.baseURL)/idp/token answered without an access_token: \(answer.jsonText)")
            }
            return token
        case 401:
            throw DemoDriverError("""
                the node refused \(user)'s login with the demo password: the driver signs in as the demo's contacts \
                (\(DemoDriver.contacts.joined(separator: ", ")), password "\(DemoDeployment.password)"), which `wse demo` seeds
                """)
        default:
            throw DemoDriverError("\(endpoint.baseURL)/idp/token answered \(status) for \(user): \(answer.jsonText)")
        }
    }

    /// A connection failure in words: "connection refused" rather than NIO's errno text.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case let error as IOError where error.errnoCode == ECONNREFUSED: "connection refused"
        case let error as HTTPClientError where error == .connectTimeout || error == .deadlineExceeded: "no answer in time"
        default: "\(error)"
        }
    }

    private func call(_ method: String, _ path: String, body: JSONValue? = nil) async throws -> (UInt, JSONValue) {
        var request = HTTPClientRequest(url: endpoint.baseURL + path)
        request.method = .init(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.jsonText))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(10))
        } catch let error as NIOSSLError {
            throw DemoDriverError(
                "the TLS handshake with \(endpoint.baseURL) failed (\(error)): for `wse demo --tls`, give the CA file it printed with --cacert FILE")
        } catch {
            throw DemoDriverError.nodeNotAnswering(endpoint.baseURL, "\(method) \(path): \(Self.reason(error))")
        }
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, (try? JSONValue.parse(String(buffer: bytes))) ?? .null)
    }
}
