import Foundation
import Hummingbird
import Testing
import Yams
@testable import RESTConnector

/// `Public/openapi/connector-out.yaml` describes what a service connector implements for a node (PROTOCOL.md,
/// "Connector OUT"); WSE's own REST connector must serve every operation of it.
@Suite struct ConnectorOutContractTests {
    static var documentPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Public/openapi/connector-out.yaml").path
    }

    @Test func theRESTConnectorServesEveryOperationOfTheContract() throws {
        let text = try String(contentsOfFile: Self.documentPath, encoding: .utf8)
        let root = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect((root["openapi"] as? String)?.hasPrefix("3.1.") == true)
        let paths = try #require(root["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, item in
            item.keys.filter { ["get", "put", "post", "delete", "patch"].contains($0) }.map { "\($0.uppercased()) \(path)" }
        })
        let router = Router()
        RESTConnector(configuration: try ConfigurationTests.example()).addRoutes(to: router)
        let served = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(documented == ["POST /v1/requests", "DELETE /v1/requests/{pid}"])
        #expect(documented.isSubset(of: served), "not served: \(documented.subtracting(served))")
    }
}
