import AsyncHTTPClient
import ConnectorKit
import Foundation

/// Reads a WSDL from where the configuration says: an http(s) URL, or a file (a relative
/// path is taken from the configuration file's folder).
enum WSDLSource {
    /// WSDLs are documents of a few hundred kilobytes at most.
    static let maxBytes = 4 << 20

    static func load(_ location: String, relativeTo folder: URL?, httpClient: HTTPClient, timeout: Double) async throws(ConnectorError) -> Data {
        let lowercased = location.lowercased()
        guard lowercased.hasPrefix("http://") || lowercased.hasPrefix("https://") else {
            var url = URL(fileURLWithPath: location)
            if let folder, !location.hasPrefix("/") { url = folder.appendingPathComponent(location) }
            do {
                return try Data(contentsOf: url)
            } catch {
                throw ConnectorError(status: .badGateway, code: "wsdl_unreadable", message: "cannot read the file \(url.path)")
            }
        }
        var request = HTTPClientRequest(url: location)
        request.headers.add(name: "Accept", value: "text/xml, application/wsdl+xml, application/xml")
        let exchange = UpstreamExchange(httpClient: httpClient, clock: ContinuousClock())
        let (response, body) = try await exchange.perform(request, what: "the WSDL server", timeout: timeout, maxBody: maxBytes)
        guard response.status.code == 200 else {
            throw ConnectorError(status: .badGateway, code: "wsdl_unreadable", message: "the WSDL server answered HTTP \(response.status.code)")
        }
        return Data(buffer: body)
    }
}
