import Foundation
import Hummingbird
import WSECore

/// `GET /admin/v1/usage` (PROTOCOL.md 1.1) and a provider's own `GET /provider/v1/usage`: the usage records
/// filtered by `user`, `retailer`, `provider`, `service`, `from`, `to` (RFC 3339), as JSON or, with
/// `Accept: text/csv`, as CSV. A pending batch is written first, so what was used a moment ago is there.
struct UsageRoutes {
    let store: any UsageStore
    let recorder: UsageRecorder

    /// The answer to a usage request; `provider` forced for a provider's own view.
    func answer(_ request: Request, provider: String? = nil) async throws -> Response {
        let parameters = request.uri.queryParameters
        func text(_ name: String) -> String? { parameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        var query = UsageQuery(user: text("user"), retailer: text("retailer"), provider: provider ?? text("provider"), service: text("service"))
        for (name, path) in [("from", \UsageQuery.from), ("to", \UsageQuery.to)] {
            guard let value = text(name) else { continue }
            guard let date = Self.date(value) else {
                return try HTTPErrorBody(code: "bad_request", message: "\(name) must be an RFC 3339 time, such as 2026-12-05T12:00:00Z")
                    .response(status: .badRequest)
            }
            query[keyPath: path] = date
        }
        if let limit = text("limit").flatMap(Int.init) { query.limit = min(max(limit, 1), 100_000) }
        await recorder.flush()
        let records = try await store.usage(matching: query)
        if request.headers[.accept]?.contains("text/csv") == true {
            return Response(
                status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: Self.csv(records))))
        }
        return try jsonResponse(["records": records], encoder: AdminPartyRoutes<BasicRequestContext>.encoder)
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    static let csvHeader = "user,retailer,provider,service,action,pid,start,end,outcome,events,bytes"

    /// RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled.
    static func csv(_ records: [UsageRecord]) -> String {
        let formatter = ISO8601DateFormatter()
        var lines = [csvHeader]
        for r in records {
            let fields = [
                r.user, r.retailer ?? "", r.provider ?? "", r.service, r.action, r.pid, formatter.string(from: r.start),
                formatter.string(from: r.end), r.outcome, String(r.events), String(r.bytes),
            ]
            lines.append(fields.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
