import ConnectionManager
import Foundation
import Hummingbird
import WSECore
import WebAssets

extension Router {
    /// `GET /openapi.yaml`: the OpenAPI 3.1 description of every HTTP endpoint of a node (`Public/openapi/openapi.yaml`).
    /// `Tests/WSEAppTests/OpenAPIDocumentTests` keeps it equal to the node's routes.
    func addOpenAPIRoute() {
        get("/openapi.yaml") { _, _ in
            guard let document = OpenAPIDocument.bytes else {
                return try HTTPErrorBody(code: "not_found", message: "the OpenAPI document is not installed").response(status: .notFound)
            }
            return Response(
                status: .ok, headers: [.contentType: "application/yaml", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: document))
        }
    }

    /// A plain request for a WebSocket path (no upgrade) reaches the router: answer 426 `upgrade_required`
    /// instead of a bare 404, so that a client that forgot the upgrade learns why.
    func addUpgradeRequiredRoutes(for sessions: ConnectionManagerConfiguration) {
        for path in sessions.webSocketPaths {
            get(RouterPath(path)) { _, _ in
                var response = try HTTPErrorBody(code: "upgrade_required", message: "\(path) is a WebSocket endpoint: open it with an upgrade request")
                    .response(status: .upgradeRequired)
                response.headers[.upgrade] = "websocket"
                return response
            }
        }
    }
}

/// The shipped OpenAPI document, read from `Public/openapi/` once, at its first request.
enum OpenAPIDocument {
    static let path = WebAssets.path(of: .apiDescription) + "/openapi.yaml"
    static let bytes: ByteBuffer? = FileManager.default.contents(atPath: path).map { ByteBuffer(bytes: $0) }
}

extension ConnectionManagerConfiguration {
    /// The paths the connection manager upgrades to WebSockets: the session path, and the echo path when it is on.
    var webSocketPaths: [String] { echoEndpoint ? [path, echoPath] : [path] }
}
