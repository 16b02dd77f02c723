import AsyncHTTPClient
import ConnectorKit
import Foundation
import Hummingbird
import Logging
import Synchronization
import WSECore
import WSELifecycle

/// The REST connector: serves connector OUT (PROTOCOL.md) for the services in its
/// configuration, turning each action into an HTTP call on a Web API.
///
/// - `POST /v1/requests` (Bearer key): a synchronous action answers 200 `{"data":…}`; a
///   subscription action creates an upstream subscription, answers 202 `{}`, and forwards
///   every notification to the process's `callback` (WSE connector IN).
/// - `DELETE /v1/requests/{pid}` (Bearer key): ends a subscription, upstream too.
/// - `POST /notify/{pid}`: where upstream services post notifications.
/// - `GET /healthz`.
///
/// Run it as its own process (`wse connector rest`) or in-process from `makeApplication`.
public struct RESTConnector: Sendable {
    public let configuration: RESTConnectorConfiguration
    let endpoint: ConnectorEndpoint
    let upstream: UpstreamClient
    let connectorIn: ConnectorInClient
    let registry = SubscriptionRegistry()
    let logger: Logger
    /// The base of notify URLs, known once the server listens (when not configured).
    private let notifyBase: NotifyBase
    /// The client made for `configuration.trustedCA`, shut down when the application stops (a connector with a
    /// `trustedCA` is run through `makeApplication`).
    private let ownedHTTPClient: HTTPClient?

    /// - Parameter httpClient: the client for upstream and connector IN calls; by default one
    ///   that does not retry refused connections (see `UpstreamExchange.defaultHTTPClient`), and that
    ///   also trusts `configuration.trustedCA` when it is set.
    public init(configuration: RESTConnectorConfiguration, httpClient: HTTPClient? = nil, logger: Logger = Logger(label: "wse.connector.rest")) {
        ownedHTTPClient = httpClient == nil ? configuration.trustedCA.map { UpstreamExchange.makeHTTPClient(trusting: $0) } : nil
        let httpClient = httpClient ?? ownedHTTPClient ?? UpstreamExchange.defaultHTTPClient
        self.configuration = configuration
        self.endpoint = ConnectorEndpoint(key: configuration.key)
        self.upstream = UpstreamClient(exchange: UpstreamExchange(httpClient: httpClient, clock: configuration.clock))
        self.connectorIn = ConnectorInClient(httpClient: httpClient, key: configuration.key)
        self.logger = logger
        self.notifyBase = NotifyBase(configuration.publicURL)
    }

    /// The pids of the subscriptions the connector is running.
    public func activeSubscriptions() async -> [String] { await registry.pids }

    /// The connector as an application; `onRunning` gets the bound port. On shutdown it
    /// deletes every upstream subscription it still holds.
    public func makeApplication(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router()
        addRoutes(to: router)
        let host = configuration.host
        let notifyBase = self.notifyBase
        let scheme = configuration.tls == nil ? "http" : "https"
        let ownedHTTPClient = self.ownedHTTPClient
        return Application(
            router: router,
            server: ListenerTLS.server(configuration.tls),
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "wse-rest-connector"),
            services: [ShutdownHook {
                await self.cancelAll()
                try? await ownedHTTPClient?.shutdown()
            }],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                notifyBase.setDefault("\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)")
                await onRunning(port)
            },
            logger: logger
        )
    }

    func addRoutes(to router: Router<BasicRequestContext>) {
        endpoint.addRoutes(to: router) { call throws(ConnectorError) in try await handleCall(call) }
        router.delete("/v1/requests/:pid") { request, context in
            await ConnectorEndpoint.answer { () async throws(ConnectorError) -> Response in
                try endpoint.authorize(request)
                return try await cancel(pid: context.parameters.get("pid") ?? "")
            }
        }
        router.post("/notify/:pid") { request, context in
            await handleNotification(request, pid: context.parameters.get("pid") ?? "")
        }
    }

    var notifyBaseURL: String? { notifyBase.value }
}

/// The base URL of `/notify`, from the configuration or from the bound port.
private final class NotifyBase: Sendable {
    private let storage: Mutex<String?>

    init(_ configured: String?) { storage = Mutex(configured) }

    func setDefault(_ url: String) { storage.withLock { if $0 == nil { $0 = url } } }

    var value: String? { storage.withLock { $0 } }
}
