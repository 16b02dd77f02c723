import ConnectorKit
import Foundation
import Hummingbird
import NIOCore
import WSECore

/// The connector's HTTP side (connector OUT, PROTOCOL.md): `POST /v1/requests` and
/// `DELETE /v1/requests/{pid}`, both with the connector key as Bearer token.
public enum IMSConnectorHTTPServer {
    static let maxRequestBytes = 256 * 1024

    /// The Hummingbird application for `connector`; `onRunning` gets the bound port.
    public static func makeApplication(connector: IMSConnector, host: String, port: Int,
                                       onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router()
        let key = connector.configuration.key
        router.get("/healthz") { _, _ in json(200, ["status": "ok"]) }
        router.post("/v1/requests") { request, _ -> Response in
            guard authorized(request, key: key) else { return error(.unauthorized) }
            var request = request
            let call: ConnectorCall
            do {
                let body = try await request.collectBody(upTo: maxRequestBytes)
                call = try JSONDecoder().decode(ConnectorCall.self, from: Data(buffer: body))
            } catch {
                return IMSConnectorHTTPServer.error(.badRequest("the body must be a connector call {pid, service, action, user, data, callback}: \(error)"))
            }
            do throws(IMSConnectorError) {
                switch try await connector.handle(call) {
                case .result(let data): return json(200, ["data": data])
                case .accepted: return json(202, [:])
                }
            } catch {
                return IMSConnectorHTTPServer.error(error)
            }
        }
        router.delete("/v1/requests/:pid") { request, context -> Response in
            guard authorized(request, key: key) else { return error(.unauthorized) }
            let pid = context.parameters.get("pid") ?? ""
            do throws(IMSConnectorError) {
                try await connector.cancel(pid: pid)
                return json(200, ["cancelled": .string(pid)])
            } catch {
                return IMSConnectorHTTPServer.error(error)
            }
        }
        return Application(router: router, server: ListenerTLS.server(connector.configuration.tls),
                           configuration: .init(address: .hostname(host, port: port), serverName: "wse-ims-connector"),
                           onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) })
    }

    /// Serves until SIGINT/SIGTERM, then closes the user agents.
    public static func run(connector: IMSConnector, host: String, port: Int,
                           onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = makeApplication(connector: connector, host: host, port: port, onRunning: onRunning)
        try await app.runService()
        await connector.shutdown()
    }

    private static func authorized(_ request: Request, key: String) -> Bool {
        // In constant time: the key is what lets anyone push to or call the connector.
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return false }
        return ConstantTime.equal(header.dropFirst(7), key)
    }

    static func json(_ status: Int, _ value: JSONValue) -> Response {
        let data = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ failure: IMSConnectorError) -> Response {
        let data = (try? JSONEncoder().encode(failure.body)) ?? Data("{}".utf8)
        return Response(status: .init(code: failure.status), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
