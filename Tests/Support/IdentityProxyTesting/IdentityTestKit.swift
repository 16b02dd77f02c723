import Foundation
import IdentityProxy
import NIOPosix
import WSECore

/// A ready identity proxy for tests of other components: an issuer and its verifier on an
/// in-memory store holding one subscriber.
///
/// ```swift
/// let identity = try await IdentityTestKit.make()              // subscriber "alice", password "secret"
/// let token = try await identity.token()                       // a valid token for alice
/// let principal = try await identity.verifier.verify(token: token)
/// let expired = try await identity.token(issuedAt: Date(timeIntervalSinceNow: -7200))
/// ```
public struct IdentityTestKit: Sendable {
    public let issuer: TokenIssuer
    public let verifier: TokenVerifier
    public let store: InMemoryIdentityStore
    public let subscriber: Subscriber
    public let password: String

    /// - Parameters:
    ///   - configuration: issuer, audience, lifetime and clock of the issuer (the verifier follows it).
    public static func make(
        username: String = "alice", password: String = "secret", roles: [String] = ["subscriber"],
        configuration: IdentityConfiguration = .init()
    ) async throws -> IdentityTestKit {
        let store = InMemoryIdentityStore()
        let subscriber = Subscriber(username: username, passwordHash: try await testHasher.hash(password), roles: roles)
        try await store.save(subscriber)
        let issuer = try await TokenIssuer(subscribers: store, secrets: store, configuration: configuration, hasher: testHasher)
        return IdentityTestKit(issuer: issuer, verifier: issuer.makeVerifier(), store: store, subscriber: subscriber, password: password)
    }

    /// A token for the seeded subscriber, issued at `issuedAt` (default now): pass a time further back
    /// than the lifetime to get an expired token.
    public func token(issuedAt: Date? = nil) async throws -> String {
        guard let issuedAt else { return try await issuer.issueToken(for: subscriber).accessToken }
        var configuration = issuer.configuration
        configuration.now = { issuedAt }
        let backdated = try await TokenIssuer(subscribers: store, secrets: store, configuration: configuration)
        return try await backdated.issueToken(for: subscriber).accessToken
    }
}

/// The kit's password hashing: a thread pool of its own, so that its logins do not queue behind the slow hashing
/// of every other suite running in parallel (a login then outlived its HTTP client's read timeout), and the
/// lowest work factor the hasher accepts, since these tests check the protocol, not the hash's strength.
private let testHasher: PasswordHasher = {
    let pool = NIOThreadPool(numberOfThreads: 1)
    pool.start()
    return PasswordHasher(iterations: PasswordHasher.minimumIterations, threadPool: pool)
}()
