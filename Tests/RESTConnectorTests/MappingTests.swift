import ConnectorKit
import Hummingbird
import Testing
import WSECore

@testable import RESTConnector

@Suite("REST connector mapping: JSON bodies, upstream errors")
struct MappingTests {
    static let values = TemplateValues(
        user: "alice", pid: "p1", data: ["address": "tel:+15550100002", "interval": 5, "nested": ["deep": "x y/z"]])

    static func template(_ text: String, allowed: Set<String> = ["user", "pid", "data", "notify_url", "resource"]) throws -> StringTemplate {
        try StringTemplate(parsing: text, allowed: allowed, environment: ["TOKEN": "t0k"])
    }

    @Test("body templates keep JSON types for lone placeholders")
    func bodyTypes() throws {
        let body = BodyTemplate.object([
            "frequency": .string(try Self.template("{data.interval}")),
            "label": .string(try Self.template("every {data.interval} s")),
            "fixed": .literal(true),
            "list": .array([.string(try Self.template("{pid}"))]),
        ])
        let rendered = try body.render(Self.values)
        #expect(rendered == ["frequency": 5, "label": "every 5 s", "fixed": true, "list": ["p1"]])
    }

    @Test("upstream error statuses map to connector errors with the upstream's message")
    func upstreamErrors() {
        let oneAPI: JSONValue = ["requestError": ["serviceException": ["messageId": "SVC0004", "text": "No valid addresses"]]]
        let notFound = UpstreamClient.upstreamError(status: 404, body: oneAPI, what: "the location service")
        #expect(notFound.status == .notFound)
        #expect(notFound.code == "upstream_rejected")
        #expect(notFound.message == "the location service answered 404: No valid addresses")
        #expect(UpstreamClient.upstreamError(status: 503, body: .null, what: "x").status == .badGateway)
        #expect(UpstreamClient.upstreamError(status: 403, body: ["error": ["message": "bad token"]], what: "x").code == "upstream_error")
        // A OneAPI policy exception refuses the user (the owner's privacy), not the connector's credentials.
        let privacy: JSONValue = ["requestError": ["policyException": ["messageId": "POL0002", "text": "Privacy verification failed"]]]
        let refused = UpstreamClient.upstreamError(status: 403, body: privacy, what: "the location service")
        #expect(refused.status == .forbidden)
        #expect(refused.code == "forbidden")
        #expect(refused.message == "the location service answered 403: Privacy verification failed")
    }
}
