import Orc
import Testing
import WSECore

@testable import Orchestrator

@Suite("JSON and Orc values")
struct ConversionTests {
    @Test("JSON to Orc: objects are records in key order, arrays lists, integral numbers integers, others decimals")
    func jsonToOrc() {
        let value = OrcValue(json: ["b": [1, 2.5, "x"], "a": ["n": nil, "t": true]])
        #expect(value.formatted == #"{. a = {. n = null, t = true .}, b = [1, 2.5, "x"] .}"#)
        #expect(OrcValue(json: 3).formatted == "3")
        #expect(OrcValue(json: -0.125).formatted == "-0.125")
    }

    @Test("Orc to JSON: records, lists, tuples, numbers, signal, datatypes")
    func orcToJSON() {
        let record = OrcValue.record(OrcRecord([("id", .string("b")), ("pos", .tuple([.int(1), .decimal(BigDecimal(literal: "2.5")!)]))]))
        #expect(JSONValue(orc: record) == ["id": "b", "pos": [1, 2.5]])
        #expect(JSONValue(orc: .list(OrcList([.bool(true), .signal, .null]))) == [true, nil, nil])
        #expect(JSONValue(orc: .bigInt(BigInt("12345678901234567890123")!)) == .number(1.2345678901234568e22))
        #expect(JSONValue(orc: .double(0.5)) == 0.5)
    }

    @Test("round trip: JSON → Orc → JSON is the identity for service data",
          arguments: [
              ["contacts": [["id": "1", "name": "Bob", "sip": "sip:bob@wse", "address": "tel:+1"]]],
              ["latitude": 48.8566, "longitude": 2.3522, "accuracy": 10, "timestamp": "2026-11-25T11:00:00Z"],
              [1, [2, [3]], [:], [], nil, false, "é\n"],
          ] as [JSONValue])
    func roundTrip(json: JSONValue) {
        #expect(JSONValue(orc: OrcValue(json: json)) == json)
    }

    @Test("datatype values and closures as JSON")
    func exoticValues() async throws {
        let harness = Harness()
        let sink = try await harness.start("Some(1) | (lambda(x) = x)")
        #expect(try await sink.waitForEnd() == .done)
        let emitted = await sink.emitted
        #expect(emitted.contains(["constructor": "Some", "values": [1]]))
        #expect(emitted.contains { $0.stringValue != nil })
    }
}
