import Demo
import Foundation
import Testing
import WSEApp
import WSECore

/// Every request and process leaves a usage record, readable through `GET /admin/v1/usage` (JSON or CSV) and,
/// for a provider's own services, `GET /provider/v1/usage`.
@Suite(.serialized) struct UsageRecordsTests {
    @Test func requestsAndProcessesAreRecordedAndFiltered() async throws {
        try await withRunningDemo { demo in
            let admin = ["authorization": "Bearer \(demo.adminToken)"]
            let before = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-1))
            let token = try await login("alice", at: demo.nodeURL)
            try await withSocket(demo.nodeURL) { socket in
                try await socket.send(["type": "hello", "token": .string(token)])
                _ = try await socket.next()
                try await socket.send(["type": "request", "id": "c", "service": "contacts", "action": "list"])
                let contacts = try await socket.next()
                #expect(contacts["type"] == "response", "\(contacts)")
                try await socket.send(["type": "request", "id": "x", "service": "nothing-here", "action": "go"])
                #expect(try await socket.next()["code"] == "unknown_service")
            }
            let (status, body) = try await httpCall("GET", "\(demo.nodeURL)/admin/v1/usage?user=alice&from=\(before)", headers: admin)
            #expect(status == 200, "\(body)")
            let records = try JSONValue.parse(body)["records"]?.arrayValue ?? []
            let answered = records.first { $0["service"] == "contacts" }
            #expect(answered?["outcome"] == "answered" && answered?["action"] == "list", "\(records)")
            #expect((answered?["bytes"]?.intValue ?? 0) > 20 && answered?["events"]?.intValue == 0, "\(records)")
            #expect(answered?["start"]?.stringValue?.hasSuffix("Z") == true && answered?["pid"]?.stringValue?.hasPrefix("p") == true)
            #expect(records.contains { $0["service"] == "nothing-here" && $0["outcome"] == "refused:unknown_service" }, "\(records)")

            let (csvStatus, csv) = try await httpCall("GET", "\(demo.nodeURL)/admin/v1/usage?user=alice", headers: admin.merging(["accept": "text/csv"]) { $1 })
            #expect(csvStatus == 200 && csv.hasPrefix("user,retailer,provider,service,action,pid,start,end,outcome,events,bytes\r\n"), "\(csv)")
            #expect(csv.contains("alice,") && csv.contains(",contacts,list,"), "\(csv)")
            #expect(try await httpCall("GET", "\(demo.nodeURL)/admin/v1/usage?user=bob", headers: admin).1.contains("alice") == false)
            let future = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
            #expect(try await httpCall("GET", "\(demo.nodeURL)/admin/v1/usage?from=\(future)", headers: admin).1 == #"{"records":[]}"#)
            let (bad, refusal) = try await httpCall("GET", "\(demo.nodeURL)/admin/v1/usage?from=yesterday", headers: admin)
            #expect(bad == 400 && refusal.contains("RFC 3339"), "\(refusal)")
            #expect(try await httpCall("GET", "\(demo.nodeURL)/admin/v1/usage").0 == 401)

            // A provider sees the usage of its own services only.
            let acme = try await httpCall("PUT", "\(demo.nodeURL)/admin/v1/providers/acme", body: #"{"name":"ACME"}"#, headers: admin).1
            let key = try #require(try JSONValue.parse(acme)["key"]?.stringValue)
            let (own, ownBody) = try await httpCall("GET", "\(demo.nodeURL)/provider/v1/usage", headers: ["authorization": "Bearer \(key)"])
            #expect(own == 200 && ownBody == #"{"records":[]}"#, "\(ownBody)")
        }
    }
}
