import Foundation
import Testing
import WSECore

@Suite struct IdentifierTests {
    @Test func identifiersAreThePlainStringInJSON() throws {
        let call = ConnectorCall(pid: "p1", service: "location", action: "get", user: "alice", data: ["a": 1], callback: "http://cb")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(call), as: UTF8.self)
        #expect(text == #"{"action":"get","callback":"http:\/\/cb","data":{"a":1},"pid":"p1","service":"location","user":"alice"}"#)
        #expect(try JSONDecoder().decode(ConnectorCall.self, from: Data(text.utf8)) == call)
    }

    @Test func serviceDefinitionsKeepTheirStoredShape() throws {
        let json = #"{"id":"eab","kind":"composed","alternatives":["eab-lite"],"access":{"users":["alice"]}}"#
        let definition = try JSONDecoder().decode(ServiceDefinition.self, from: Data(json.utf8))
        #expect(definition.id == "eab")
        #expect(definition.alternatives == ["eab-lite"])
        #expect(definition.access.users == ["alice"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let again = try JSONSerialization.jsonObject(with: try encoder.encode(definition)) as? [String: Any]
        #expect(again?["id"] as? String == "eab")
        #expect(again?["alternatives"] as? [String] == ["eab-lite"])
    }

    @Test func identifiersPrintAsTheirValueAndSortByIt() {
        let pid: ProcessID = "p42"
        #expect("\(pid)" == "p42")
        #expect([ServiceID("b"), "a"].sorted() == ["a", "b"])
    }

    @Test func freshIDsAreUniqueAndProcessIDsStartWithP() {
        let pid = ProcessID.random()
        #expect(pid.rawValue.hasPrefix("p") && pid.rawValue.count == 23)
        #expect(pid != ProcessID.random())
        #expect(SessionID.random() != SessionID.random())
    }
}
