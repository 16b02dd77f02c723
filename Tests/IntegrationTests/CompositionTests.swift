import Foundation
import Testing
import WSEApp
import WSECore

/// Composed services end to end: Orc source stored through the CSDR API, registered as a
/// composed service, run for a WebSocket client, cancelled.
@Suite(.serialized) struct CompositionTests {
    /// Merges the synchronous contacts answer with each contact's asynchronous location reports.
    static let nearby = """
        def events(service, action, data) = Subscribe(service, action, data) >stream> repeat(stream.get)
        Service("contacts", "list") >answer> each(answer.contacts) >c>
          ( {. name = c.name .}
          | events("location", "subscribe", {. address = c.address, interval = 1 .}) >fix>
              {. name = c.name, latitude = fix.latitude .} )
        """

    @Test func aStoredCompositionStreamsItsPublicationsUntilCancel() async throws {
        try await withRunningDemo { demo in
            let admin = ["authorization": "Bearer \(demo.adminToken)", "content-type": "text/x-orc"]
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/orchestrator/v1/compositions/nearby", body: Self.nearby).0 == 401)
            let (stored, storedBody) = try await httpCall(
                "PUT", "\(demo.nodeURL)/orchestrator/v1/compositions/nearby", body: Self.nearby, headers: admin)
            #expect(stored == 201, "\(storedBody)")
            let service = #"{"id":"nearby","kind":"composed","composition":"nearby","access":{"roles":["subscriber"]}}"#
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/services/nearby", body: service, headers: admin).0 == 201)

            let token = try await login("alice", at: demo.nodeURL)
            try await withSocket(demo.nodeURL) { socket in
                try await socket.send(["type": "hello", "token": .string(token)])
                _ = try await socket.next()
                try await socket.send(["type": "request", "id": "n", "service": "nearby", "action": "open"])
                let started = try await socket.next()
                #expect(started["type"] == "response" && started["id"] == "n")
                let pid = try #require(started["pid"]?.stringValue)

                var names = Set<String>()
                var located = Set<String>()
                while located.count < 2 {
                    let event = try await socket.next(within: 10)
                    #expect(event["type"] == "event" && event["pid"]?.stringValue == pid && event["service"] == "nearby", "\(event)")
                    let name = try #require(event["data"]?["name"]?.stringValue)
                    if event["data"]?["latitude"]?.doubleValue != nil { located.insert(name) } else { names.insert(name) }
                }
                #expect(names.count == 2, "the synchronous answer's cards came first: \(names)")

                try await socket.send(["type": "cancel", "pid": .string(pid)])
                var end = try await socket.next()
                while end["type"] == "event" { end = try await socket.next() }
                #expect(end == ["type": "end", "pid": .string(pid), "reason": "cancelled"])
            }
            // Cancelling the composition cancelled its location subscriptions at the connector too.
            let (_, overview) = try await httpCall("GET", "\(demo.nodeURL)/admin/v1/overview", headers: admin)
            let numbers = try JSONValue.parse(overview)
            #expect(numbers["compositions"]?["running"]?.intValue == 0)
            let location = numbers["services"]?.arrayValue?.first { $0["id"] == "location" }
            #expect(location?["inFlight"]?.intValue == 0, "\(String(describing: location))")
        }
    }

    @Test func aProgramThatDoesNotParseIsRefusedWithItsPosition() async throws {
        try await withRunningDemo { demo in
            let admin = ["authorization": "Bearer \(demo.adminToken)", "content-type": "text/x-orc"]
            let (status, body) = try await httpCall(
                "PUT", "\(demo.nodeURL)/orchestrator/v1/compositions/broken", body: "1 |\n  (2 >x> ", headers: admin)
            let error = try JSONValue.parse(body)["error"]
            #expect(status == 422 && error?["code"] == "orc_parse_error")
            #expect(error?["line"]?.intValue == 2 && error?["column"]?.intValue != nil)
        }
    }

    @Test func callsToForbiddenOrMissingServicesReachTheClientAsErrors() async throws {
        try await withRunningDemo { demo in
            let admin = ["authorization": "Bearer \(demo.adminToken)", "content-type": "text/x-orc"]
            let secret = #"{"id":"vault","kind":"basic","endpoint":"http://127.0.0.1:9","connectorKey":"test-key-0123456789abcdef","access":{"users":["carol"]}}"#
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/services/vault", body: secret, headers: admin).0 == 201)
            let program = #"Service("vault", "open") ; Service("nowhere", "x") ; "fallback""#
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/orchestrator/v1/compositions/probe", body: program, headers: admin).0 == 201)
            let service = #"{"id":"probe","kind":"composed","composition":"probe"}"#
            #expect(try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/services/probe", body: service, headers: admin).0 == 201)

            let token = try await login("alice", at: demo.nodeURL)
            try await withSocket(demo.nodeURL) { socket in
                try await socket.send(["type": "hello", "token": .string(token)])
                _ = try await socket.next()
                try await socket.send(["type": "request", "id": "p", "service": "probe", "action": "run"])
                var codes: [String] = []
                var published: [JSONValue] = []
                var ended: JSONValue?
                while ended == nil {
                    let message = try await socket.next()
                    switch message["type"]?.stringValue {
                    case "error": codes.append(message["code"]?.stringValue ?? "?")
                    case "event": published.append(message["data"] ?? .null)
                    case "end": ended = message["reason"]
                    default: break
                    }
                }
                #expect(codes == ["forbidden", "unknown_service"])
                #expect(published == ["fallback"])
                #expect(ended == "done")
                // The node is healthy: the same session goes on.
                try await socket.send(["type": "request", "id": "c", "service": "contacts", "action": "list"])
                #expect(try await socket.next()["type"] == "response")
            }
        }
    }
}
