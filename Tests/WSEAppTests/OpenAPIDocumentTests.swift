import Foundation
import Testing
import WSETesting
import Yams
@testable import WSEApp

/// `Public/openapi/openapi.yaml` describes the node as it is: every route of the node's router is in the
/// document, and every path of the document that no route serves (the static files, served by middleware)
/// is answered by a running node. The node serves the document itself at `/openapi.yaml`.
@Suite struct OpenAPIDocumentTests {
    /// Every optional endpoint on (the echo WebSocket), so that the node's routes are all a node can serve.
    static var everyEndpointOn: NodeConfiguration {
        var configuration = NodeConfiguration()
        configuration.node.echoEndpoint = true
        return configuration
    }

    @Test func everyRouteOfTheNodeIsDocumented() async throws {
        let document = try OpenAPIFile.read()
        try await withRunningNode(Self.everyEndpointOn) { node, _ in
            let undocumented = Set(node.routes).subtracting(document.operations)
            #expect(undocumented.isEmpty, "routes missing from openapi.yaml: \(undocumented.map(\.description).sorted())")
        }
    }

    @Test func everyDocumentedPathIsServed() async throws {
        let document = try OpenAPIFile.read()
        #expect(document.version.hasPrefix("3.1."))
        try await withRunningNode(Self.everyEndpointOn) { node, base in
            let servedByMiddleware = document.operations.subtracting(Set(node.routes))
            // Middleware serves files only: anything else documented without a route is a path the node lost.
            #expect(servedByMiddleware.allSatisfy { $0.method == "get" }, "documented but not routed: \(servedByMiddleware)")
            for operation in servedByMiddleware {
                let path = try document.examplePath(of: operation)
                let answer = try await http(.GET, base + path)
                #expect(answer.status == 200, "\(operation) as \(path): \(answer.status)")
            }
            let served = try await http(.GET, base + "/openapi.yaml")
            #expect(served.status == 200)
            #expect(served.headers.first(name: "content-type") == "application/yaml")
            #expect(served.text == document.text)
        }
    }

    @Test func aPlainRequestForTheSessionPathIsToldToUpgrade() async throws {
        try await withRunningNode(Self.everyEndpointOn) { _, base in
            let answer = try await http(.GET, base + "/wse")
            #expect(answer.status == 426)
            #expect(answer.headers.first(name: "upgrade") == "websocket")
            #expect(answer.json?["error"]?["code"]?.stringValue == "upgrade_required")
        }
    }

    @Test func anotherMethodOnARoutedPathIsAnswered405WithAllow() async throws {
        try await withRunningNode(Self.everyEndpointOn) { _, base in
            let answer = try await http(.PATCH, base + "/admin/v1/services/contacts")
            #expect(answer.status == 405)
            #expect(answer.headers.first(name: "allow") == "DELETE, GET, PUT")
            #expect(answer.json?["error"]?["code"]?.stringValue == "method_not_allowed")
            #expect(try await http(.GET, base + "/no/such/path").status == 404)
            #expect(try await http(.GET, base + "/js/wse.js").status == 200, "the files behind the router are still served")
        }
    }
}

/// The OpenAPI document as shipped, and what the tests read from it.
struct OpenAPIFile {
    let text: String
    let version: String
    /// `paths` of the document: path template → operations by method.
    let paths: [String: [String: Any]]

    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    static func read() throws -> OpenAPIFile {
        let text = try String(contentsOfFile: OpenAPIDocument.path, encoding: .utf8)
        guard let root = try Yams.load(yaml: text) as? [String: Any], let paths = root["paths"] as? [String: [String: Any]] else {
            throw TestFailure("openapi.yaml has no paths")
        }
        return OpenAPIFile(text: text, version: root["openapi"] as? String ?? "", paths: paths)
    }

    var operations: Set<NodeRoute> {
        Set(paths.flatMap { path, item in
            item.keys.filter(Self.methods.contains).map { NodeRoute(method: $0, path: path) }
        })
    }

    /// The operation's path with each `{parameter}` replaced by the parameter's documented `example`.
    func examplePath(of operation: NodeRoute) throws -> String {
        let item = paths[operation.path] ?? [:]
        let parameters = ((item["parameters"] as? [[String: Any]]) ?? [])
            + (((item[operation.method] as? [String: Any])?["parameters"] as? [[String: Any]]) ?? [])
        var path = operation.path
        for parameter in parameters where parameter["in"] as? String == "path" {
            guard let name = parameter["name"] as? String, let example = parameter["example"] else {
                throw TestFailure("\(operation): a path parameter without an example")
            }
            path = path.replacingOccurrences(of: "{\(name)}", with: "\(example)")
        }
        return path
    }
}
