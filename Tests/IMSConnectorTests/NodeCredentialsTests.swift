import Foundation
import SIP
import Testing
import WSECore

/// A user without credentials in the connector's file is looked up at the node (`GET /connector/v1/subscribers/{user}/sip`,
/// with the connector key), and its agent answers the SIP core's digest challenges with the stored HA1.
@Suite("IMS connector: credentials from the node", .serialized)
struct NodeCredentialsTests {
    @Test func aUserKnownOnlyToTheNodeRegistersWithItsHA1() async throws {
        try await ConnectorHarness.with(.embedded) { harness in
            // erin is a WSE user whose SIP identity is the SIP core's alice (the node keeps only the HA1).
            let ha1 = Subscriber.digestHA1(authUser: "alice", realm: SIPBackend.domain, password: SIPBackend.users["alice"]!)
            await harness.connectorIN.setSIPIdentity(
                ["uri": .string(harness.sipURI("alice")), "authUser": "alice", "realm": .string(SIPBackend.domain), "ha1": .string(ha1)],
                of: "erin")
            let registered = try await harness.call("erin", "register")
            #expect(registered.status == 200, "\(registered.body)")
            #expect(await harness.connectorIN.lookupKeys == ["Bearer \(ConnectorHarness.key)"], "asked once, with the connector key")
        }
    }

    @Test func aWrongHA1IsRefusedAndAUserTheNodeDoesNotKnowIsForbidden() async throws {
        try await ConnectorHarness.with(.embedded) { harness in
            let wrong = Subscriber.digestHA1(authUser: "bob", realm: SIPBackend.domain, password: "not-bobs")
            await harness.connectorIN.setSIPIdentity(
                ["uri": .string(harness.sipURI("bob")), "authUser": "bob", "realm": .string(SIPBackend.domain), "ha1": .string(wrong)], of: "frank")
            let refused = try await harness.call("frank", "register")
            #expect(refused.status == 403, "\(refused.body)")
            let unknown = try await harness.call("gina", "register")
            #expect(unknown.status == 403 && "\(unknown.body)".contains("no SIP credentials"), "\(unknown.body)")
        }
    }
}
