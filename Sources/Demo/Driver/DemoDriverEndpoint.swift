import WSEApp
import Foundation

/// The node the driver talks to, from `--node`: its HTTP base URL and where to open `/wse`.
struct DemoDriverEndpoint: Sendable {
    /// `http://host:port`, without a trailing slash.
    let baseURL: String
    let host: String
    let port: Int

    /// Reads an `http://host[:port]` URL; anything else is refused with what to give instead.
    init(_ text: String) throws(DemoDriverError) {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URL(string: trimmed), url.scheme?.lowercased() == "http", let host = url.host, !host.isEmpty,
              url.path.isEmpty, url.query == nil
        else {
            throw DemoDriverError("--node must be a node's base URL such as http://127.0.0.1:8080, not '\(text)'")
        }
        self.host = host
        self.port = url.port ?? 80
        self.baseURL = "http://\(host):\(port)"
    }
}
