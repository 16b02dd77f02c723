import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WSECore
@testable import IdentityProxy
import IdentityProxyTesting

@Suite struct IdentityRoutesTests {
    static func app(_ kit: IdentityTestKit) -> some ApplicationProtocol {
        let router = Router()
        IdentityRoutes(issuer: kit.issuer).addRoutes(to: router)
        return Application(router: router)
    }

    static func kit(loginLimits: LoginLimits = .init()) async throws -> IdentityTestKit {
        try await IdentityTestKit.make(username: "alice", password: "demo", configuration: .init(loginLimits: loginLimits))
    }

    static func post(_ client: some TestClientProtocol, _ body: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await client.execute(uri: "/idp/token", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func errorBody(_ response: TestResponse) throws -> HTTPErrorBody {
        try JSONDecoder().decode(HTTPErrorBody.self, from: Data(response.body.readableBytesView))
    }

    @Test func loginAnswersATokenThatVerifies() async throws {
        let kit = try await Self.kit()
        try await Self.app(kit).test(.router) { client in
            let response = try await Self.post(client, #"{"username":"alice","password":"demo"}"#)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.headers[.cacheControl] == "no-store")
            let token = try JSONDecoder().decode(IssuedToken.self, from: Data(response.body.readableBytesView))
            #expect(token.tokenType == "Bearer" && token.expiresIn == 3600)
            #expect(try await kit.verifier.verify(token: token.accessToken).user == "alice")
            let keys = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            #expect(Set(keys.keys) == ["access_token", "token_type", "expires_in"])
        }
    }

    @Test func wrongPasswordAndUnknownUserGetTheSame401() async throws {
        let kit = try await Self.kit()
        try await Self.app(kit).test(.router) { client in
            let wrongPassword = try await Self.post(client, #"{"username":"alice","password":"nope"}"#)
            let unknownUser = try await Self.post(client, #"{"username":"mallory","password":"demo"}"#)
            #expect(wrongPassword.status == .unauthorized)
            #expect(unknownUser.status == .unauthorized)
            let body = try Self.errorBody(wrongPassword)
            #expect(body.error.code == "invalid_credentials")
            #expect(wrongPassword.body == unknownUser.body)
        }
    }

    @Test(arguments: [
        "", "not json", "[]", #"{"username":"alice"}"#, #"{"password":"demo"}"#, #"{"username":1,"password":"demo"}"#,
        #"{"username":"","password":"demo"}"#, #"{"username":"alice","password":""}"#,
        #"{"username":"\#(String(repeating: "a", count: 257))","password":"demo"}"#,
    ])
    func aMalformedBodyIs400(body: String) async throws {
        let kit = try await Self.kit()
        try await Self.app(kit).test(.router) { client in
            let response = try await Self.post(client, body)
            #expect(response.status == .badRequest)
            let error = try Self.errorBody(response)
            #expect(error.error.code == "bad_request")
        }
    }

    @Test func anOversizedBodyIs413() async throws {
        let kit = try await Self.kit()
        try await Self.app(kit).test(.router) { client in
            let huge = #"{"username":"alice","password":""# + String(repeating: "x", count: 20_000) + #""}"#
            let response = try await Self.post(client, huge)
            #expect(response.status == .contentTooLarge)
            #expect(try Self.errorBody(response).error.code == "too_large")
        }
    }

    @Test func tooManyFailuresAre429WithRetryAfter() async throws {
        let kit = try await Self.kit(loginLimits: .init(freeFailures: 2, firstBackoff: .seconds(120)))
        try await Self.app(kit).test(.router) { client in
            for _ in 0..<2 { #expect(try await Self.post(client, #"{"username":"alice","password":"x"}"#).status == .unauthorized) }
            let response = try await Self.post(client, #"{"username":"alice","password":"demo"}"#)
            #expect(response.status == .tooManyRequests)
            #expect(try Self.errorBody(response).error.code == "rate_limited")
            let retryAfter = try #require(response.headers[.retryAfter].flatMap { Int($0) })
            #expect(retryAfter > 0 && retryAfter <= 120)
        }
    }

    @Test func aFloodBeyondTheHashingSlotsIs503WithRetryAfterInsteadOfAQueue() async throws {
        let store = GatedSubscriberStore()
        let issuer = try await TokenIssuer(
            subscribers: store, secrets: store.store, configuration: .init(loginLimits: .init(maxPendingHashes: 3)))
        let router = Router()
        IdentityRoutes(issuer: issuer).addRoutes(to: router)
        try await Application(router: router).test(.router) { client in
            let attempts = 10
            async let responses = withThrowingTaskGroup(of: TestResponse.self, returning: [TestResponse].self) { group in
                for index in 0..<attempts {
                    group.addTask {
                        let response = try await Self.post(client, #"{"username":"user\#(index)","password":"x"}"#)
                        await store.gate.answered()
                        return response
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let checked = await store.gate.openWhenSettled(total: attempts)
            let answers = try await responses
            #expect(checked == 3)
            let refused = answers.filter { $0.status == .serviceUnavailable }
            #expect(refused.count == attempts - checked)
            for response in refused {
                #expect(try Self.errorBody(response).error.code == "unavailable")
                #expect(response.headers[.retryAfter] == "1")
            }
            #expect(answers.count { $0.status == .unauthorized } == checked)
        }
    }

    @Test func aBrokenSubscriberStoreIs503() async throws {
        let store = InMemoryIdentityStore()
        let issuer = try await TokenIssuer(subscribers: FailingSubscriberStore(), secrets: store)
        let router = Router()
        IdentityRoutes(issuer: issuer).addRoutes(to: router)
        try await Application(router: router).test(.router) { client in
            let response = try await Self.post(client, #"{"username":"alice","password":"demo"}"#)
            #expect(response.status == .serviceUnavailable)
            #expect(try Self.errorBody(response).error.code == "unavailable")
        }
    }

    @Test func jwksPublishesTheSigningKey() async throws {
        let kit = try await Self.kit()
        try await Self.app(kit).test(.router) { client in
            let response = try await client.execute(uri: "/idp/jwks.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            let keys = try #require(document["keys"] as? [[String: Any]])
            #expect(keys.count == 1)
            #expect(keys[0]["kid"] as? String == kit.issuer.signingKey.kid)
            #expect(keys[0]["kty"] as? String == "EC")
            #expect(keys[0]["crv"] as? String == "P-256")
            #expect(keys[0]["alg"] as? String == "ES256")
            #expect(keys[0]["d"] == nil, "never the private part")
        }
    }

    @Test func authScriptIsServedAsJavaScript() async throws {
        let kit = try await Self.kit()
        try await Self.app(kit).test(.router) { client in
            let response = try await client.execute(uri: "/idp/auth.js", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/javascript; charset=utf-8")
            let text = String(buffer: response.body)
            #expect(text.contains("global.WSEAuth"))
            #expect(text.contains("/idp/token"))
        }
    }

    @Test func browsersMayLogInFromAnotherOrigin() async throws {
        let kit = try await Self.kit()
        try await Self.app(kit).test(.router) { client in
            let preflight = try await client.execute(
                uri: "/idp/token", method: .options,
                headers: [.origin: "https://shop.test", .accessControlRequestMethod: "POST", .accessControlRequestHeaders: "content-type"])
            #expect(preflight.status == .noContent || preflight.status == .ok)
            #expect(preflight.headers[.accessControlAllowOrigin] == "*")
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            let login = try await Self.post(client, #"{"username":"alice","password":"demo"}"#, headers: [.origin: "https://shop.test"])
            #expect(login.status == .ok)
            #expect(login.headers[.accessControlAllowOrigin] == "*")
        }
    }

    @Test func otherMethodsAndPathsAreNotServed() async throws {
        let kit = try await Self.kit()
        try await Self.app(kit).test(.router) { client in
            let wrongMethod = try await client.execute(uri: "/idp/token", method: .get).status
            #expect(wrongMethod == .methodNotAllowed || wrongMethod == .notFound)
            let unknownPath = try await client.execute(uri: "/idp/nothing", method: .get).status
            #expect(unknownPath == .notFound)
        }
    }
}
