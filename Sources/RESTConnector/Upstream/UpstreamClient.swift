import AsyncHTTPClient
import ConnectorKit
import Foundation
import NIOCore
import NIOHTTP1
import WSECore

/// What an upstream Web API answered to a successful call.
struct UpstreamAnswer: Sendable {
    var status: Int
    /// The `Location` header, if any (some APIs name a created resource only there).
    var location: String?
    /// The JSON body; `.null` for an empty body.
    var body: JSONValue
}

/// Makes the HTTP calls that actions map to, and turns every way they can fail into a
/// `ConnectorError` that says which service failed and how.
struct UpstreamClient: Sendable {
    let exchange: UpstreamExchange

    /// Upstream answers larger than this are refused (they would not fit a WebSocket message anyway).
    static let maxBody = 4 << 20

    func call(_ template: HTTPCallTemplate, of serviceID: String, _ service: ServiceMapping, values: TemplateValues)
        async throws(ConnectorError) -> UpstreamAnswer
    {
        let request = try Self.request(template, service, values)
        let what = "the \(serviceID) service (\(template.method) \(request.url))"
        let (response, bytes) = try await exchange.perform(request, what: what, timeout: service.timeout, maxBody: Self.maxBody)
        let status = Int(response.status.code)
        let body: JSONValue
        if bytes.readableBytes == 0 {
            body = .null
        } else if let parsed = try? JSONValue.parse(bytes.readableBytesView) {
            body = parsed
        } else if (200..<300).contains(status) {
            throw ConnectorError(status: .badGateway, code: "bad_upstream_reply", message: "\(what) answered \(status) with a body that is not JSON")
        } else {
            body = .string(String(buffer: bytes))
        }
        guard (200..<300).contains(status) else { throw Self.upstreamError(status: status, body: body, what: what) }
        return UpstreamAnswer(status: status, location: response.headers.first(name: "Location"), body: body)
    }

    /// Fills the template: URL (placeholders %-encoded, relative URLs under the service's base URL), headers, JSON body.
    /// The URL must be on the service's origin: the service's headers are its credentials.
    static func request(_ template: HTTPCallTemplate, _ service: ServiceMapping, _ values: TemplateValues) throws(ConnectorError) -> HTTPClientRequest {
        let url = try self.url(template.url, service, values)
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: template.method)
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in service.headers + template.headers {
            let text = try value.render(values)
            guard !text.contains(where: \.isNewline) else { throw .badRequest("header \(name) would contain a line break") }
            request.headers.replaceOrAdd(name: name, value: text)
        }
        if let body = template.body {
            if !request.headers.contains(name: "Content-Type") { request.headers.add(name: "Content-Type", value: "application/json") }
            request.body = .bytes(ByteBuffer(string: try body.render(values).jsonText))
        }
        return request
    }

    /// The absolute URL of a call. A configured URL is a path under base_url whose placeholders
    /// are %-encoded, so a value is one segment; one that would be a whole `.` or `..` segment
    /// (which walks the path) is refused. A whole-URL `{resource}` comes from the upstream: it may
    /// be absolute, but only on the service's origin.
    private static func url(_ template: StringTemplate, _ service: ServiceMapping, _ values: TemplateValues) throws(ConnectorError) -> String {
        var url = try template.render(values, urlEncoded: true)
        if template.singlePlaceholder == nil {
            try refuseDotSegments(in: url)
        } else if url.hasPrefix("//") {
            url = (URLOrigin(service.baseURL)?.scheme ?? "http") + ":" + url  // a network-path reference names a host
        }
        let lowercased = url.lowercased()
        if !lowercased.hasPrefix("http://"), !lowercased.hasPrefix("https://") {
            url = service.baseURL + (url.hasPrefix("/") ? url : "/" + url)
        }
        guard let origin = URLOrigin(service.baseURL), URLOrigin(url) == origin else {
            throw ConnectorError(
                status: .badGateway, code: "foreign_origin",
                message: "refused to call \(url): it is not on the service's origin \(URLOrigin(service.baseURL)?.description ?? service.baseURL) (base_url), where alone its credentials go")
        }
        return url
    }

    private static func refuseDotSegments(in url: String) throws(ConnectorError) {
        let path = url.prefix { $0 != "?" && $0 != "#" }
        guard path.contains("/.") else { return }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) where segment == "." || segment == ".." {
            throw .badRequest("the upstream URL \(path) would have a path segment \"\(segment)\": a value cannot be . or .. where it is a whole segment")
        }
    }

    /// Where common APIs put the human message of an error body, tried in order.
    private static let messagePointers = [
        "/error/message", "/requestError/serviceException/text", "/requestError/policyException/text", "/message", "/detail", "/title", "/error",
    ].compactMap(JSONPointer.init)

    /// An upstream error status as the connector answers it: the caller's mistakes (4xx) keep
    /// their status; the upstream's own failures and a refusal of the connector's credentials are 502;
    /// a OneAPI policy exception (403: the user is not allowed, e.g. the owner's privacy) is `forbidden`.
    static func upstreamError(status: Int, body: JSONValue, what: String) -> ConnectorError {
        let detail = messagePointers.lazy.compactMap { $0.resolve(in: body)?.stringValue }.first ?? String(body.stringValue?.prefix(200) ?? "")
        let message = "\(what) answered \(status)" + (detail.isEmpty ? "" : ": \(detail)")
        switch status {
        case 403 where body["requestError"]?["policyException"] != nil:
            return ConnectorError(status: .forbidden, code: "forbidden", message: message)
        case 401, 403:
            return ConnectorError(status: .badGateway, code: "upstream_error", message: message + " (check the connector's credentials for it)")
        case 400..<500:
            return ConnectorError(status: .init(code: status), code: "upstream_rejected", message: message)
        default:
            return ConnectorError(status: .badGateway, code: "upstream_error", message: message)
        }
    }
}
