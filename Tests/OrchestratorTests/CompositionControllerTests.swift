import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WSECore

@testable import Orchestrator

@Suite("CSDR: the compositions API")
struct CompositionControllerTests {
    static let path = "/orchestrator/v1/compositions"
    static let orc: HTTPFields = [.contentType: "text/x-orc"]

    func withApp(store: InMemoryCompositionStore = InMemoryCompositionStore(), maxSourceBytes: Int = 1024,
                 _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router()
        CompositionController(store: store, configuration: OrchestratorConfiguration(maxSourceBytes: maxSourceBytes)).addRoutes(to: router)
        try await Application(router: router).test(.router) { client in try await body(client) }
    }

    func errorBody(_ response: TestResponse) throws -> HTTPErrorBody {
        try JSONDecoder().decode(HTTPErrorBody.self, from: Data(buffer: response.body))
    }

    func json(_ response: TestResponse) throws -> JSONValue { try JSONValue.parse(response.body.readableBytesView) }

    @Test("PUT stores versions (201 then 200), GET reads the newest or a given one, versions lists them, DELETE removes all")
    func lifecycle() async throws {
        try await withApp { client in
            try await client.execute(uri: "\(Self.path)/eab", method: .put, headers: Self.orc, body: ByteBuffer(string: "1 | 2")) { response in
                #expect(response.status == .created)
                #expect(response.headers[.location] == "\(Self.path)/eab")
                let body = try self.json(response)
                #expect(body == ["id": "eab", "version": 1])
            }
            try await client.execute(uri: "\(Self.path)/eab", method: .put, headers: Self.orc, body: ByteBuffer(string: "3")) { response in
                #expect(response.status == .ok)
                let body = try self.json(response)
                #expect(body == ["id": "eab", "version": 2])
            }
            try await client.execute(uri: "\(Self.path)/eab", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "3")
                #expect(response.headers[.contentType]?.hasPrefix("text/x-orc") == true)
                #expect(response.headers[CompositionController.versionHeader] == "2")
            }
            try await client.execute(uri: "\(Self.path)/eab?version=1", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "1 | 2")
                #expect(response.headers[CompositionController.versionHeader] == "1")
            }
            try await client.execute(uri: "\(Self.path)/eab/versions", method: .get) { response in
                #expect(response.status == .ok)
                let body = try self.json(response)
                #expect(body == ["id": "eab", "versions": [1, 2]])
            }
            try await client.execute(uri: "\(Self.path)/eab", method: .delete) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "\(Self.path)/eab", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("unknown ids and versions are 404 with the standard error body; a bad version is 400")
    func notFound() async throws {
        let store = InMemoryCompositionStore()
        _ = try await store.saveComposition(id: "eab", source: "1")
        try await withApp(store: store) { client in
            for uri in ["\(Self.path)/nope", "\(Self.path)/eab?version=7", "\(Self.path)/nope/versions"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    let body = try self.errorBody(response)
                    #expect(body.error.code == "not_found")
                }
            }
            try await client.execute(uri: "\(Self.path)/nope", method: .delete) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "\(Self.path)/eab?version=abc", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("a program that does not parse is refused with 422 orc_parse_error, line and column; nothing is stored",
          arguments: [
              ("1 |\n  (2 | ", 2),
              ("Service(\"contacts\", \"list\") >r> nosuchname(r)", 1),
          ])
    func parseError(source: String, line: Int) async throws {
        let store = InMemoryCompositionStore()
        try await withApp(store: store) { client in
            try await client.execute(uri: "\(Self.path)/bad", method: .put, headers: Self.orc, body: ByteBuffer(string: source)) { response in
                #expect(response.status == .unprocessableContent)
                let body = try self.errorBody(response)
                #expect(body.error.code == "orc_parse_error")
                #expect(body.error.line == line)
                #expect((body.error.column ?? 0) > 0)
                #expect(!body.error.message.isEmpty)
            }
        }
        #expect(try await store.compositionVersions(id: "bad").isEmpty)
    }

    @Test("a body above the size limit is refused with 413")
    func tooLarge() async throws {
        try await withApp(maxSourceBytes: 64) { client in
            let source = String(repeating: "1 | ", count: 40) + "1"
            try await client.execute(uri: "\(Self.path)/big", method: .put, headers: Self.orc, body: ByteBuffer(string: source)) { response in
                #expect(response.status == .contentTooLarge)
                let body = try self.errorBody(response)
                #expect(body.error.code == "too_large")
            }
        }
    }

    @Test("a JSON body is 415, a bad id 400, a non-UTF-8 body 400")
    func badRequests() async throws {
        try await withApp { client in
            try await client.execute(uri: "\(Self.path)/eab", method: .put, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "\(Self.path)/no%20spaces", method: .put, headers: Self.orc, body: ByteBuffer(string: "1")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "\(Self.path)/eab", method: .put, headers: Self.orc, body: ByteBuffer(bytes: [0xff, 0xfe])) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("a failing store is 503 store_unavailable")
    func storeFailure() async throws {
        let store = InMemoryCompositionStore()
        await store.setFailing(true)
        try await withApp(store: store) { client in
            try await client.execute(uri: "\(Self.path)/eab", method: .put, headers: Self.orc, body: ByteBuffer(string: "1")) { response in
                #expect(response.status == .serviceUnavailable)
                let body = try self.errorBody(response)
                #expect(body.error.code == "store_unavailable")
            }
        }
    }
}
