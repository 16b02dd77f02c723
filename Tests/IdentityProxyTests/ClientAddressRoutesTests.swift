import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import IdentityProxy
import IdentityProxyTesting

/// A request context that knows the socket peer, as the node's does.
struct PeerAddressContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// Whose failures a login counts against, over a real socket (the peer is this test, on loopback).
@Suite struct ClientAddressRoutesTests {
    static let wrong = #"{"username":"alice","password":"x"}"#
    static let right = #"{"username":"alice","password":"demo"}"#

    static func app(trusting proxies: [String]) async throws -> some ApplicationProtocol {
        let kit = try await IdentityTestKit.make(
            username: "alice", password: "demo", configuration: .init(loginLimits: .init(freeFailures: 1, firstBackoff: .seconds(600))))
        let router = Router(context: PeerAddressContext.self)
        IdentityRoutes(issuer: kit.issuer, trustedProxies: try TrustedProxies(proxies)).addRoutes(to: router)
        return Application(router: router)
    }

    static func expect(
        _ client: some TestClientProtocol, _ body: String, forwardedFor: String, answers status: HTTPResponse.Status,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        var headers = HTTPFields()
        headers[.init("X-Forwarded-For")!] = forwardedFor
        let response = try await IdentityRoutesTests.post(client, body, headers: headers)
        #expect(response.status == status, sourceLocation: sourceLocation)
    }

    @Test func behindATrustedBalancerEachForwardedClientHasItsOwnLimits() async throws {
        try await Self.app(trusting: ["127.0.0.1", "::1"]).test(.live) { client in
            try await Self.expect(client, Self.wrong, forwardedFor: "203.0.113.9", answers: .unauthorized)
            try await Self.expect(client, Self.right, forwardedFor: "203.0.113.9", answers: .tooManyRequests)
            // Alice, behind the same balancer, is another client: the balancer's address is not the key.
            try await Self.expect(client, Self.right, forwardedFor: "198.51.100.20", answers: .ok)
            // A hop forged to the left of the one the balancer appended changes nothing.
            try await Self.expect(client, Self.right, forwardedFor: "198.51.100.20, 203.0.113.9", answers: .tooManyRequests)
        }
    }

    @Test func forwardedForIsIgnoredFromAPeerThatIsNotTrusted() async throws {
        try await Self.app(trusting: ["192.0.2.10"]).test(.live) { client in
            try await Self.expect(client, Self.wrong, forwardedFor: "203.0.113.9", answers: .unauthorized)
            // The peer failed; claiming another address does not make it another client.
            try await Self.expect(client, Self.right, forwardedFor: "198.51.100.20", answers: .tooManyRequests)
        }
    }
}
