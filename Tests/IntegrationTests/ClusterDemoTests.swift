import Foundation
import Testing
import Demo
import WSEApp
import WSECore

#if canImport(Glibc)
import Glibc
#endif

/// `wse demo --cluster`: real node processes on a real PostgreSQL behind a real nginx.
@Suite(.serialized) struct ClusterDemoTests {
    @Test func theDemoContractWorksThroughNginxAndSurvivesAKilledNode() async throws {
        try await withRunningClusterDemo(nodes: 3) { cluster in
            let url = cluster.addresses.nodeURL
            #expect(try await httpCall("GET", "\(url)/healthz").0 == 200)
            // least_conn spreads these over the nodes: a token from one node must open a session on whichever serves it.
            for _ in 1...3 {
                let token = try await login("alice", at: url)
                try await withSocket(url) { socket in
                    try await socket.send(["type": "hello", "token": .string(token)])
                    #expect(try await socket.next()["type"] == "welcome")
                    try await socket.send(["type": "request", "id": "c", "service": "contacts", "action": "list"])
                    let contacts = try await socket.next()
                    #expect(contacts["type"] == "response" && contacts["data"]?["contacts"]?.arrayValue?.count == 2)
                }
            }

            let victim = try #require(cluster.nodeProcesses.first)
            #expect(kill(victim.pid, SIGKILL) == 0)
            // nginx's passive health check takes the dead node out: every later call is served by the others.
            for _ in 1...6 {
                let token = try await login("bob", at: url)
                #expect(!token.isEmpty)
                let (status, _) = try await httpCall("GET", "\(url)/admin/v1/services", headers: ["Authorization": "Bearer \(cluster.addresses.adminToken)"])
                #expect(status == 200)
            }
        }
    }

}
