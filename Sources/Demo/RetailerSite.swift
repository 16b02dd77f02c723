import ConnectorKit
import WSEApp
import Hummingbird
import Logging
import WSECore
import WebAssets

/// The retailer's web site of the demo: the Enhanced Address Book page (`Public/retailer`), served
/// apart from the node, as a real retailer's site would be, plus `config.js` telling the page
/// where the operator's WSE node is and the retailer's client id to log in with.
enum RetailerSite {
    /// - Parameter tls: serve HTTPS with this certificate (`wse demo --tls`); nil: HTTP.
    static func application(
        port: Int, nodeURL: String, clientID: String, tls: ListenerTLS? = nil, logger: Logger
    ) -> some ApplicationProtocol {
        let router = Router()
        var config = "window.EAB_CONFIG = {nodeURL: "
        JSONValue.writeString(nodeURL, to: &config)
        config += ", clientId: "
        JSONValue.writeString(clientID, to: &config)
        config += "};\n"
        let script = config
        router.get("/config.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: script)))
        }
        router.add(middleware: FileMiddleware(WebAssets.path(of: .retailerSite), searchForIndexHtml: true))
        return Application(
            router: router, server: ListenerTLS.server(tls),
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "wse-demo-retailer"),
            logger: logger)
    }
}
