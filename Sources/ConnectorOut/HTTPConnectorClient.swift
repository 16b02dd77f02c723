import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import WSECore

/// Connector OUT: sends calls to service connectors over HTTP (PROTOCOL.md, "Connector OUT").
///
/// `POST <endpoint>/v1/requests` with the call as JSON and `Authorization: Bearer <key>`; the reply is
/// read into a `ConnectorReply` or classified as a `ConnectorFailure` (docs/MEDIATOR.md). Cancels are
/// sent as `DELETE <endpoint>/v1/requests/<pid>` (an extension; connectors may ignore it).
public struct HTTPConnectorClient: ConnectorClient {
    /// Limits of connector OUT.
    public struct Configuration: Sendable {
        /// Replies larger than this are refused as garbage (`malformedReply`).
        public var maxReplyBytes: Int
        /// How long a cancel (`DELETE`) may take before it is given up.
        public var cancelTimeout: Duration

        public init(maxReplyBytes: Int = 1 << 20, cancelTimeout: Duration = .seconds(5)) {
            self.maxReplyBytes = maxReplyBytes
            self.cancelTimeout = cancelTimeout
        }
    }

    private let http: HTTPClient
    private let configuration: Configuration
    private let logger: Logger

    /// - Parameter http: the client to send with; `makeHTTPClient` builds one with the settings connector OUT wants.
    ///   The caller owns it and shuts it down.
    public init(http: HTTPClient, configuration: Configuration = .init(), logger: Logger = Logger(label: "wse.connector-out")) {
        self.http = http
        self.configuration = configuration
        self.logger = logger
    }

    /// An HTTP client that never follows redirects (a redirect would carry the connector key elsewhere)
    /// and keeps up to `connectionsPerConnector` connections open to each connector.
    public static func makeHTTPClient(connectionsPerConnector: Int = 32, connectTimeout: Duration = .seconds(3)) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(connectTimeout)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerConnector))
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func send(_ call: ConnectorCall, endpoint: String, key: String, timeout: Duration) async throws(ConnectorFailure) -> ConnectorReply {
        var request = HTTPClientRequest(url: Self.url(endpoint, path: "/v1/requests"))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.body = .bytes(ByteBuffer(string: Self.body(of: call).jsonText))
        let status: Int
        let body: ByteBuffer
        do {
            let response = try await http.execute(request, deadline: .now() + TimeAmount(timeout), logger: logger)
            status = Int(response.status.code)
            body = try await response.body.collect(upTo: configuration.maxReplyBytes)
        } catch is NIOTooManyBytesError {
            throw .malformedReply("reply larger than \(configuration.maxReplyBytes) bytes")
        } catch {
            throw Self.classify(error)
        }
        return try Self.interpret(status: status, body: body)
    }

    public func cancel(pid: ProcessID, endpoint: String, key: String) async {
        let encoded = pid.rawValue.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? pid.rawValue
        var request = HTTPClientRequest(url: Self.url(endpoint, path: "/v1/requests/\(encoded)"))
        request.method = .DELETE
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        do {
            let response = try await http.execute(request, deadline: .now() + TimeAmount(configuration.cancelTimeout), logger: logger)
            _ = try await response.body.collect(upTo: configuration.maxReplyBytes)
        } catch {
            logger.debug("connector cancel not delivered", metadata: ["pid": "\(pid)", "error": "\(error)"])
        }
    }

    /// `<endpoint>` and `path` joined with exactly one slash.
    static func url(_ endpoint: String, path: String) -> String {
        var base = Substring(endpoint)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + path
    }

    /// PROTOCOL.md's body: `{"pid","service","action","user","data","callback"}`.
    static func body(of call: ConnectorCall) -> JSONValue {
        [
            "pid": .string(call.pid.rawValue), "service": .string(call.service.rawValue), "action": .string(call.action),
            "user": .string(call.user.rawValue), "data": call.data, "callback": .string(call.callback),
        ]
    }
}
