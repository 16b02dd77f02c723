import AsyncHTTPClient
import ConnectorKit
import Foundation
import Hummingbird
import Logging
import WSECore

/// The SOAP connector: serves connector OUT (PROTOCOL.md) for the services in its
/// configuration, turning each action into a call of a WSDL operation, SOAP 1.1 or 1.2.
///
/// - `POST /v1/requests` (Bearer key): builds the envelope from the call's `data`, calls the
///   upstream, answers 200 `{"data":…}` with the mapped answer, or the error a fault or a
///   failure becomes (docs/SOAP-CONNECTOR.md).
/// - `GET /healthz`.
///
/// Run it as its own process (`wse connector soap`) or in-process from `makeApplication`.
public struct SOAPConnector: Sendable {
    public let configuration: SOAPConnectorConfiguration
    let endpoint: ConnectorEndpoint
    let exchange: UpstreamExchange
    let logger: Logger

    /// - Parameter httpClient: the client for upstream calls; by default one that does not
    ///   retry refused connections nor follow redirects (`UpstreamExchange.defaultHTTPClient`).
    public init(configuration: SOAPConnectorConfiguration, httpClient: HTTPClient? = nil, logger: Logger = Logger(label: "wse.connector.soap")) {
        self.configuration = configuration
        self.endpoint = ConnectorEndpoint(key: configuration.key)
        self.exchange = UpstreamExchange(httpClient: httpClient ?? UpstreamExchange.defaultHTTPClient, clock: configuration.clock)
        self.logger = logger
    }

    /// The connector as an application; `onRunning` gets the bound port.
    public func makeApplication(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router()
        endpoint.addRoutes(to: router) { call throws(ConnectorError) in try await handle(call) }
        return Application(
            router: router,
            server: ListenerTLS.server(configuration.tls),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "wse-soap-connector"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    func handle(_ call: CallRequest) async throws(ConnectorError) -> Response {
        guard let service = configuration.services[call.service], let action = service.actions[call.action] else {
            throw .unknownAction(service: call.service, action: call.action, known: configuration.knownActions)
        }
        let values = TemplateValues(user: call.user, pid: call.pid, data: call.data)
        for field in action.requiredFields { _ = try values.value(of: field) }
        let what = "the \(call.service) service (\(action.operation.name))"

        var request = HTTPClientRequest(url: service.endpoint)
        request.method = .POST
        for (name, value) in service.version.headers(action: action.operation.soapAction) { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Accept", value: service.version == .v1_1 ? "text/xml" : "application/soap+xml")
        request.body = .bytes(try SOAPRequest.envelope(action, version: service.version, security: service.security, values: values))

        let (response, body) = try await exchange.perform(request, what: what, timeout: service.timeout, maxBody: service.maxResponseBytes)
        let reply = SOAPReply(version: service.version, what: what, shapes: service.shapes)
        let payload: JSONValue
        do {
            payload = try reply.payload(status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"), body: Data(buffer: body))
        } catch {
            logger.warning("upstream call failed", metadata: ["pid": "\(call.pid)", "service": "\(call.service)", "error": "\(error.message)"])
            throw error
        }
        return .json(.ok, ["data": try action.response.data(from: payload, of: what)])
    }
}
