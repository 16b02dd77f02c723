import ConnectorKit
import Testing
import WSECore

@testable import RESTConnector

/// The URLs the connector calls: placeholders fill path segments and query values only, and
/// every request (a cancel at an upstream-supplied URL included) stays on the service's origin.
@Suite("REST connector: upstream URLs stay on the configured origin")
struct UpstreamURLTests {
    static let service = ServiceMapping(
        baseURL: "http://127.0.0.1:18102", timeout: 10,
        headers: [(name: "Authorization", value: StringTemplate(parts: [.literal("Bearer secret")]))], actions: [:])

    static func call(_ url: String, allowed: Set<String> = ["user", "pid", "data", "resource"]) throws -> HTTPCallTemplate {
        HTTPCallTemplate(method: "GET", url: try StringTemplate(parsing: url, allowed: allowed, environment: [:]), headers: [], body: nil)
    }

    /// The error `request` throws for `url` filled with `values`, or nil when it builds a request.
    static func refusal(_ url: String, _ values: TemplateValues) throws -> ConnectorError? {
        let template = try call(url)
        do {
            _ = try UpstreamClient.request(template, service, values)
            return nil
        } catch {
            return error
        }
    }

    static func values(data: JSONValue = [:], resource: String? = nil) -> TemplateValues {
        TemplateValues(user: "alice", pid: "p1", data: data, resource: resource)
    }

    @Test("a placeholder value is one path segment: / ? # % are encoded", arguments: [
        ("a/b", "a%2Fb"), ("a?b", "a%3Fb"), ("a#b", "a%23b"), ("%2E%2E", "%252E%252E"), ("a/../../b", "a%2F..%2F..%2Fb"),
    ])
    func encodedSegment(name: String, encoded: String) throws {
        let request = try UpstreamClient.request(Self.call("/files/{data.name}/meta"), Self.service, Self.values(data: ["name": .string(name)]))
        #expect(request.url == "http://127.0.0.1:18102/files/\(encoded)/meta")
    }

    @Test("a value that would make a path segment . or .. is refused", arguments: [
        ("/files/{data.name}", ".."), ("/files/{data.name}", "."), ("/files/{data.name}/meta", ".."), ("/files/{data.a}{data.name}", "."),
    ])
    func dotSegments(url: String, name: String) throws {
        let error = try #require(try Self.refusal(url, Self.values(data: ["name": .string(name), "a": "."])))
        #expect(error.code == "bad_request")
        #expect(error.message.contains("path segment"))
    }

    @Test("dots are fine inside a segment and in query values")
    func dotsElsewhere() throws {
        let request = try UpstreamClient.request(
            Self.call("/files/{data.name}?up={data.up}"), Self.service, Self.values(data: ["name": "..x", "up": ".."]))
        #expect(request.url == "http://127.0.0.1:18102/files/..x?up=..")
    }

    @Test("a cancel URL named by the upstream on the service's origin is called, with the credentials", arguments: [
        "/location/v1/subscriptions/periodic/7", "http://127.0.0.1:18102/location/v1/subscriptions/periodic/7",
        "HTTP://127.0.0.1:18102/location/v1/subscriptions/periodic/7",
    ])
    func sameOriginResource(resource: String) throws {
        let request = try UpstreamClient.request(Self.call("{resource}"), Self.service, Self.values(resource: resource))
        #expect(request.url.lowercased() == "http://127.0.0.1:18102/location/v1/subscriptions/periodic/7")
        #expect(request.headers.first(name: "Authorization") == "Bearer secret")
    }

    @Test("a cancel URL on another origin is refused: the credentials go nowhere else", arguments: [
        "http://169.254.169.254/latest/meta-data", "https://127.0.0.1:18102/x", "http://127.0.0.1:18103/x",
        "http://127.0.0.1:18102@evil.example/x", "http://evil.example/x", "//evil.example/x",
    ])
    func foreignResource(resource: String) throws {
        let error = try #require(try Self.refusal("{resource}", Self.values(resource: resource)), "\(resource) was accepted")
        #expect(error.code == "foreign_origin")
        #expect(error.status == .badGateway)
    }
}
