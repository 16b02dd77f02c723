import Hummingbird
import Testing
import WSECore

@testable import RESTConnector

@Suite("REST connector mapping: templates, pointers, response mappings")
struct MappingTests {
    static let values = TemplateValues(
        user: "alice", pid: "p1", data: ["address": "tel:+15550100002", "interval": 5, "nested": ["deep": "x y/z"]])

    static func template(_ text: String, allowed: Set<String> = ["user", "pid", "data", "notify_url", "resource"]) throws -> StringTemplate {
        try StringTemplate(parsing: text, allowed: allowed, environment: ["TOKEN": "t0k"])
    }

    @Test("URL placeholders are percent-encoded; a lone placeholder is used as it is")
    func urlEncoding() throws {
        let query = try Self.template("/q?address={data.address}&who={user}&d={data.nested.deep}")
        #expect(try query.render(Self.values, urlEncoded: true) == "/q?address=tel%3A%2B15550100002&who=alice&d=x%20y%2Fz")
        var withResource = Self.values
        withResource.resource = "http://h:1/a/b?c=d"
        #expect(try Self.template("{resource}").render(withResource, urlEncoded: true) == "http://h:1/a/b?c=d")
        #expect(try Self.template("Bearer {env.TOKEN}").render(Self.values) == "Bearer t0k")
    }

    @Test("a missing data field is a bad request naming the field")
    func missingField() throws {
        let template = try Self.template("/q/{data.nope}")
        #expect(throws: ConnectorError.missingField("data.nope")) { try template.render(Self.values) }
        #expect(template.dataFields == [.data(["nope"])])
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

    @Test("JSON pointers follow RFC 6901")
    func pointers() throws {
        let document: JSONValue = ["a/b": ["~x": [10, 20]], "": "empty"]
        #expect(JSONPointer("/a~1b/~0x/1")?.resolve(in: document) == 20)
        #expect(JSONPointer("/")?.resolve(in: document) == "empty")
        #expect(JSONPointer("")?.resolve(in: document) == document)
        #expect(JSONPointer("/a~1b/~0x/2")?.resolve(in: document) == nil)
        #expect(JSONPointer("a") == nil)
    }

    @Test("response mappings build objects, lists, and skip optional members")
    func responseMapping() throws {
        let upstream: JSONValue = ["value": [["id": "1", "n": "A"], ["id": "2"]]]
        let mapping = ResponseMapping.object([
            "items": .each(JSONPointer("/value")!, .object(["id": .value(JSONPointer("/id")!, optional: false), "name": .value(JSONPointer("/n")!, optional: true)]))
        ])
        #expect(try mapping.apply(to: upstream) == ["items": [["id": "1", "name": "A"], ["id": "2"]]])
        let strict = ResponseMapping.each(JSONPointer("/value")!, .value(JSONPointer("/n")!, optional: false))
        #expect(throws: ResponseMapping.Mismatch(pointer: "/value/1/n", expected: "value")) { try strict.apply(to: upstream) }
        #expect(throws: ResponseMapping.Mismatch(pointer: "/nope", expected: "array")) {
            try ResponseMapping.each(JSONPointer("/nope")!, .whole).apply(to: upstream)
        }
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
