import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOSSL
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
        /// The clock of the calls' timeouts; tests drive one by hand.
        public var clock: any Clock<Duration>

        public init(maxReplyBytes: Int = 1 << 20, cancelTimeout: Duration = .seconds(5), clock: any Clock<Duration> = ContinuousClock()) {
            self.maxReplyBytes = maxReplyBytes
            self.cancelTimeout = cancelTimeout
            self.clock = clock
        }
    }

    private let http: HTTPClient
    private let configuration: Configuration
    private let logger: Logger

    /// - Parameter http: the client to send with; `makeHTTPClient` builds one with the settings connector OUT wants.
    ///   The caller owns it and shuts it down (a node does so when its service group stops).
    public init(http: HTTPClient, configuration: Configuration = .init(), logger: Logger = Logger(label: "wse.connector-out")) {
        self.http = http
        self.configuration = configuration
        self.logger = logger
    }

    /// An HTTP client that never follows redirects (a redirect would carry the connector key elsewhere)
    /// and keeps up to `connectionsPerConnector` connections open to each connector. A refused
    /// connection fails the call at once instead of being retried until the call's timeout, so that
    /// a connector that is down is told (`unreachable`) from one that is slow (`timeout`). Connectors at
    /// `https://` endpoints must present a certificate the system trusts, or one of `trusting`.
    public static func makeHTTPClient(
        connectionsPerConnector: Int = 32, connectTimeout: Duration = .seconds(3), trusting: [NIOSSLCertificate] = []
    ) -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !trusting.isEmpty { tls.additionalTrustRoots = [.certificates(trusting)] }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(connectTimeout)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerConnector))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Sends `call`; gives up with `.timeout` once `timeout` has passed on the configured clock (the
    /// request is then cancelled, its connection closed).
    public func send(_ call: ConnectorCall, endpoint: String, key: String, timeout: Duration) async throws(ConnectorFailure) -> ConnectorReply {
        var request = HTTPClientRequest(url: Self.url(endpoint, path: "/v1/requests"))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.body = .bytes(ByteBuffer(string: Self.body(of: call).jsonText))
        let (status, body) = try await exchange(request, timeout: timeout)
        return try Self.interpret(status: status, body: body)
    }

    public func cancel(pid: ProcessID, endpoint: String, key: String) async {
        let encoded = pid.rawValue.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? pid.rawValue
        var request = HTTPClientRequest(url: Self.url(endpoint, path: "/v1/requests/\(encoded)"))
        request.method = .DELETE
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        do {
            _ = try await exchange(request, timeout: configuration.cancelTimeout)
        } catch {
            logger.debug("connector cancel not delivered", metadata: ["pid": "\(pid)", "error": "\(error)"])
        }
    }

    /// Sends `request` and reads the whole reply, or gives up at `timeout` (the request is then
    /// cancelled). The deadline is ours rather than AsyncHTTPClient's so that it runs on the configured clock.
    private func exchange(_ request: HTTPClientRequest, timeout: Duration) async throws(ConnectorFailure) -> (Int, ByteBuffer) {
        let (http, logger, maxReplyBytes) = (http, logger, configuration.maxReplyBytes)
        let outcome = await withDeadline(timeout, on: configuration.clock) { () async -> Result<(Int, ByteBuffer), ConnectorFailure> in
            do {
                let response = try await http.execute(request, deadline: .distantFuture, logger: logger)
                return .success((Int(response.status.code), try await response.body.collect(upTo: maxReplyBytes)))
            } catch is NIOTooManyBytesError {
                return .failure(.malformedReply("reply larger than \(maxReplyBytes) bytes"))
            } catch {
                return .failure(Self.classify(error))
            }
        }
        guard let outcome else { throw .timeout }
        return try outcome.get()
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
