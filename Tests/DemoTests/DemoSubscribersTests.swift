import Demo
import IdentityProxy
import Storage
import Testing

@Suite struct DemoSubscribersTests {
    @Test func demoSubscribersCanLogInWithTheDemoPassword() async throws {
        let store = try SQLiteStore.inMemory()
        try await DemoSubscribers.seed(into: store)
        let issuer = try await TokenIssuer(subscribers: store, secrets: store)
        let verifier = issuer.makeVerifier()
        for name in ["alice", "bob", "carol"] {
            let token = try await issuer.login(username: name, password: "demo").accessToken
            let principal = try await verifier.verify(token: token)
            #expect(principal.user.rawValue == name)
            #expect(principal.roles == ["subscriber"])
        }
    }
}
