import AsyncHTTPClient
import NIOCore
import NIOSSL
import WSECore

/// One HTTP exchange with a connector's upstream, under the connector's own deadline and a
/// size limit, with every transport failure turned into the `ConnectorError` both connectors
/// answer: 504 `upstream_timeout`, 502 `upstream_unreachable`, 502 `bad_upstream_reply` (too large).
package struct UpstreamExchange: Sendable {
    package let httpClient: HTTPClient
    /// The clock of the deadlines: real time unless a test drives a manual one.
    package let clock: any Clock<Duration>

    /// A connector's own client. It fails at once when an upstream refuses connections
    /// (instead of retrying until the call's deadline), so that "down" (502) is told apart
    /// from "slow" (504) and a caller is not kept waiting for a service that is not there.
    package static let defaultHTTPClient = makeHTTPClient(tls: nil)

    /// A client like ``defaultHTTPClient`` that also trusts `trusted` (a connector's `ca_file`), for https
    /// upstreams and connector IN callbacks. The caller owns it and shuts it down.
    package static func makeHTTPClient(trusting trusted: TrustedCA) -> HTTPClient {
        makeHTTPClient(tls: trusted.clientConfiguration)
    }

    private static func makeHTTPClient(tls: TLSConfiguration?) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tls
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(2)
        // A redirect is a URL of the upstream's choosing: it would carry the service's credentials elsewhere.
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    package init(httpClient: HTTPClient, clock: any Clock<Duration>) {
        self.httpClient = httpClient
        self.clock = clock
    }

    /// Sends `request` and collects its body (at most `maxBody` bytes) within `timeout` seconds.
    /// - Parameter what: names the call in error messages ("the sms service (SendSms)").
    package func perform(_ request: HTTPClientRequest, what: String, timeout: Double, maxBody: Int)
        async throws(ConnectorError) -> (response: HTTPClientResponse, body: ByteBuffer)
    {
        let timedOut = ConnectorError(status: .gatewayTimeout, code: "upstream_timeout", message: "\(what) did not answer within \(timeout) s")
        let httpClient = httpClient
        // The call's deadline is ours, on `clock`; AsyncHTTPClient's connect timeout still applies.
        let exchanged = await withDeadline(.milliseconds(Int64(timeout * 1000)), on: clock) {
            () async -> Result<(HTTPClientResponse, ByteBuffer), ConnectorError> in
            do {
                let response = try await httpClient.execute(request, deadline: .distantFuture)
                return .success((response, try await response.body.collect(upTo: maxBody)))
            } catch let error as HTTPClientError where [.readTimeout, .connectTimeout].contains(error) {
                return .failure(timedOut)
            } catch is NIOTooManyBytesError {
                return .failure(ConnectorError(status: .badGateway, code: "bad_upstream_reply", message: "\(what) answered more than \(maxBody) bytes"))
            } catch {
                return .failure(ConnectorError(status: .badGateway, code: "upstream_unreachable", message: "cannot reach \(what): \(error)"))
            }
        }
        guard let exchanged else { throw timedOut }
        let (response, body) = try exchanged.get()
        return (response, body)
    }
}
