import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Storage
import Testing
import WSETesting
import Yams
@testable import WSEApp

/// `Public/openapi/openapi.yaml` describes the node as it is: every route of the node's router is in the
/// document, and every path of the document that no route serves (the static files, served by middleware)
/// is answered by a running node. The node serves the document itself at `/openapi.yaml`.
@Suite struct OpenAPIDocumentTests {
    @Test func everyRouteOfTheNodeIsDocumented() async throws {
        let document = try OpenAPIFile.read()
        try await Self.withRunningNode { node, _ in
            let undocumented = Set(node.routes).subtracting(document.operations)
            #expect(undocumented.isEmpty, "routes missing from openapi.yaml: \(undocumented.map(\.description).sorted())")
        }
    }

    @Test func everyDocumentedPathIsServed() async throws {
        let document = try OpenAPIFile.read()
        #expect(document.version.hasPrefix("3.1."))
        try await Self.withRunningNode { node, base in
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
        try await Self.withRunningNode { _, base in
            let answer = try await http(.GET, base + "/wse")
            #expect(answer.status == 426)
            #expect(answer.headers.first(name: "upgrade") == "websocket")
            #expect(answer.json?["error"]?["code"]?.stringValue == "upgrade_required")
        }
    }

    @Test func anotherMethodOnARoutedPathIsAnswered405WithAllow() async throws {
        try await Self.withRunningNode { _, base in
            let answer = try await http(.PATCH, base + "/admin/v1/services/contacts")
            #expect(answer.status == 405)
            #expect(answer.headers.first(name: "allow") == "DELETE, GET, PUT")
            #expect(answer.json?["error"]?["code"]?.stringValue == "method_not_allowed")
            #expect(try await http(.GET, base + "/no/such/path").status == 404)
            #expect(try await http(.GET, base + "/js/wse.js").status == 200, "the files behind the router are still served")
        }
    }

    /// Runs a node on a loopback port while `body` runs with it and its base URL, then shuts it down. Every optional
    /// endpoint is on (the echo WebSocket), so that its routes are all that a node can serve.
    private static func withRunningNode(_ body: (WSENode, String) async throws -> Void) async throws {
        var configuration = NodeConfiguration()
        configuration.node.port = 0
        configuration.node.echoEndpoint = true
        let signal = PortSignal()
        let node = try await WSENode.build(
            configuration: configuration, store: try SQLiteStore.inMemory(), metrics: PrometheusCollectorRegistry(),
            logger: Logger(label: "test"), onServerRunning: signal.onRunning)
        let group = ServiceGroup(configuration: .init(services: node.services.map { .init(service: $0) }, logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { signal.continuation.finish() }
                try await group.run()
            }
            var ports = signal.ports.makeAsyncIterator()
            guard let port = await ports.next() else {
                try await tasks.waitForAll()
                throw TestFailure("the node did not start")
            }
            let outcome: Result<Void, any Error>
            do {
                try await body(node, "http://127.0.0.1:\(port)")
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            try outcome.get()
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
