import Hummingbird
import HummingbirdTesting
import Testing
import WSECore
import WSETesting

@testable import ConnectorIn

/// The batch form of connector IN (docs/PROTOCOL-EXTENSIONS.md): a JSON array of pushes in one POST,
/// answered 200 with one result per element.
@Suite("Connector IN, batch form")
struct ConnectorInBatchTests {
    let base = ConnectorInTests()

    /// Posts `body` and returns the status and the answer parsed as JSON.
    func post(_ client: any TestClientProtocol, _ body: String, key: String = "loc-key") async throws -> (HTTPResponse.Status, JSONValue?) {
        let (status, text, _) = try await base.post(client, body, key: key)
        return (status, try? JSONValue.parse(text))
    }

    @Test("each element is answered as it would be alone, in order; a bad element spoils no other")
    func mixedBatch() async throws {
        try await base.withApp { client in
            let (status, answer) = try await post(client, """
                [{"pid":"p-loc","data":1},{"pid":"p-gone","data":2},7,{"user":"alice","service":"location","data":3},
                 {"pid":"p-loc","data":4,"final":"yes"},{"user":"alice","service":"sip","data":5},{"pid":"p-loc","final":true}]
                """)
            #expect(status == .ok)
            let results = try #require(answer?["results"]?.arrayValue)
            #expect(results.map { $0["status"]?.intValue } == [202, 404, 400, 202, 400, 403, 202])
            #expect(results[0]["delivered"] == 1)
            #expect(results[3]["delivered"] == 2)
            #expect(results[1]["error"]?["code"] == "not_found")
            #expect(results[1]["error"]?["message"] == #"no running process "p-gone""#)
            #expect(results[2]["error"]?["message"] == "the body must be a JSON object")
            #expect(results[4]["error"]?["message"]?.stringValue?.contains(#""final" must be true or false"#) == true)
            #expect(results[5]["error"]?["code"] == "forbidden")
        }
        #expect(await base.inbound.received == ["p-loc 1 final=false", "alice location 3", "p-loc null final=true"])
    }

    @Test("the single form is unchanged beside it: one object, one answer")
    func singleFormUnchanged() async throws {
        try await base.withApp { client in
            let (status, body, _) = try await base.post(client, #"{"pid":"p-loc","data":1}"#)
            #expect(status == .accepted)
            #expect(body == #"{"delivered":1}"#)
        }
    }

    @Test("an empty batch is 400; a malformed one is 400 whole; the size limit is the whole body's")
    func wholeBatchRefusals() async throws {
        try await base.withApp(maxBodyBytes: 64) { client in
            let (empty, emptyAnswer) = try await post(client, "[]")
            #expect(empty == .badRequest)
            #expect(emptyAnswer?["error"]?["message"] == "a batch needs at least one push")
            let (malformed, _) = try await post(client, #"[{"pid":"p-loc","data":1},"#)
            #expect(malformed == .badRequest)
            // Two pushes that fit alone, not together.
            let push = #"{"pid":"p-loc","data":"xxxxxxxxxx"}"#
            let (alone, _) = try await post(client, push)
            #expect(alone == .accepted)
            let (tooLarge, answer) = try await post(client, "[\(push),\(push)]")
            #expect(tooLarge == .contentTooLarge)
            #expect(answer?["error"]?["code"] == "too_large")
        }
        #expect(await base.inbound.received.count == 1)
    }

    @Test("each element takes a token; elements past the tokens left are answered 429, the others delivered")
    func throttledElements() async throws {
        try await base.withApp(rate: PushRate(perSecond: 1, burst: 3)) { client in
            let push = #"{"pid":"p-loc","data":1}"#
            let (status, answer) = try await post(client, "[\(Array(repeating: push, count: 5).joined(separator: ","))]")
            #expect(status == .ok)
            #expect(answer?["results"]?.arrayValue?.map { $0["status"]?.intValue } == [202, 202, 202, 429, 429])
            #expect(answer?["results"]?.arrayValue?[4]["error"]?["code"] == "throttled")
            let (after, _) = try await post(client, push)
            #expect(after == .tooManyRequests, "the batch used the bucket up")
        }
        #expect(await base.inbound.received.count == 3)
    }

    @Test("a batch answer is counted once, as 200, on a handle made at start")
    func metrics() async throws {
        let metrics = CountingMetricsFactory()
        try await base.withApp(metrics: metrics) { client in
            let madeAtStart = metrics.handlesMade
            let (status, _) = try await post(client, #"[{"pid":"p-loc","data":1},{"pid":"p-gone","data":1}]"#)
            #expect(status == .ok)
            #expect(metrics.handlesMade == madeAtStart)
        }
        #expect(try metrics.recorded.expectCounter("wse_connector_in_requests_total", [("status", "200")]).totalValue == 1)
    }
}
