import Foundation
import Testing
import WSECore
import WSETesting
@testable import IdentityProxy
import IdentityProxyTesting

/// The login limits (docs/IDENTITY.md, "Login limits") as a client meets them through `TokenIssuer.login`.
@Suite struct LoginLimitsTests {
    static let attacker = IPAddress("203.0.113.9")
    static let alicesAddress = IPAddress("198.51.100.20")

    /// The error a login ended with, or nil when it issued a token.
    static func refusal(of login: () async throws(LoginError) -> IssuedToken) async -> LoginError? {
        do {
            _ = try await login()
            return nil
        } catch {
            return error
        }
    }

    /// The Retry-After of a refused login, or nil when it was not rate-limited.
    static func retryAfter(_ issuer: TokenIssuer, password: String = "guess", from client: IPAddress?) async -> Int64? {
        let error = await refusal { () async throws(LoginError) in
            try await issuer.login(username: "alice", password: password, clientAddress: client)
        }
        guard case .rateLimited(let wait) = error else { return nil }
        return wait.components.seconds
    }

    @Test func concurrentWrongPasswordsReachTheHasherOnlyUpToTheLimit() async throws {
        let store = GatedSubscriberStore()
        try await store.save(Subscriber(username: "alice", passwordHash: PasswordHasher().hash("pw")))
        let issuer = try await TokenIssuer(
            subscribers: store, secrets: store.store, configuration: .init(loginLimits: .init(freeFailures: 5)))
        let attempts = 60
        async let answers = withTaskGroup(of: LoginError?.self, returning: [LoginError?].self) { group in
            for _ in 0..<attempts {
                group.addTask {
                    let error = await Self.refusal { () async throws(LoginError) in
                        try await issuer.login(username: "alice", password: "guess", clientAddress: Self.attacker)
                    }
                    await store.gate.answered()
                    return error
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let reachedTheHasher = await store.gate.openWhenSettled(total: attempts)
        let errors = await answers
        #expect(reachedTheHasher == 5)
        #expect(errors.count { $0 == LoginError.invalidCredentials } == reachedTheHasher)
        #expect(errors.count { if case .rateLimited = $0 { true } else { false } } == attempts - reachedTheHasher)
    }

    @Test func aliceLogsInFromHerAddressWhileAnAttackerElsewhereKeepsFailing() async throws {
        let clock = ManualClock()
        let issuer = try await TokenIssuerTests.issuer(clock: clock)
        for _ in 0..<10 {
            _ = try? await issuer.login(username: "alice", password: "guess", clientAddress: Self.attacker)
            clock.advance(by: .seconds(1))
        }
        #expect(await Self.retryAfter(issuer, password: "pw", from: Self.attacker) != nil, "the attacker is slowed down")
        #expect(try await issuer.login(username: "alice", password: "pw", clientAddress: Self.alicesAddress).expiresIn == 3600)
    }

    @Test func eachFailureBeyondTheFreeOnesDoublesTheWaitGivenAsRetryAfter() async throws {
        let clock = ManualClock()
        let issuer = try await TokenIssuerTests.issuer(clock: clock, loginLimits: .init(freeFailures: 2, firstBackoff: .seconds(10)))
        for _ in 0..<2 { #expect(await Self.retryAfter(issuer, from: Self.attacker) == nil) }
        var waits: [Int64] = []
        for _ in 0..<3 {
            let wait = try #require(await Self.retryAfter(issuer, from: Self.attacker))
            waits.append(wait)
            clock.advance(by: .seconds(wait - 1))
            #expect(await Self.retryAfter(issuer, from: Self.attacker) == 1, "still waiting one second before the end")
            clock.advance(by: .seconds(1))
            #expect(await Self.retryAfter(issuer, from: Self.attacker) == nil, "a try is admitted once the wait is over")
        }
        #expect(waits == [10, 20, 40])
    }

    @Test func theBackoffStopsAtItsMaximum() async throws {
        let clock = ManualClock()
        let issuer = try await TokenIssuerTests.issuer(
            clock: clock, loginLimits: .init(freeFailures: 1, firstBackoff: .seconds(10), maxBackoff: .seconds(15)))
        #expect(await Self.retryAfter(issuer, from: Self.attacker) == nil)
        #expect(await Self.retryAfter(issuer, from: Self.attacker) == 10)
        clock.advance(by: .seconds(10))
        #expect(await Self.retryAfter(issuer, from: Self.attacker) == nil)
        #expect(await Self.retryAfter(issuer, from: Self.attacker) == 15, "not 20")
    }

    @Test func aSuccessForgivesTheClientsFailuresOnThatUser() async throws {
        let issuer = try await TokenIssuerTests.issuer(loginLimits: .init(freeFailures: 2))
        #expect(await Self.retryAfter(issuer, from: Self.alicesAddress) == nil)
        #expect(try await issuer.login(username: "alice", password: "pw", clientAddress: Self.alicesAddress).expiresIn == 3600)
        #expect(await Self.retryAfter(issuer, from: Self.alicesAddress) == nil)
        #expect(try await issuer.login(username: "alice", password: "pw", clientAddress: Self.alicesAddress).expiresIn == 3600)
    }

    @Test func anAddressHasABudgetOfFailuresAcrossUserNamesThatRefills() async throws {
        let clock = ManualClock()
        let issuer = try await TokenIssuerTests.issuer(
            clock: clock, loginLimits: .init(maxFailuresPerAddress: 2, addressWindow: .seconds(300)))
        _ = try? await issuer.login(username: "u1", password: "x", clientAddress: Self.attacker)
        _ = try? await issuer.login(username: "u2", password: "x", clientAddress: Self.attacker)
        // One failure drains every 300 s / 2 = 150 s.
        await #expect(throws: LoginError.rateLimited(retryAfter: .seconds(150))) {
            try await issuer.login(username: "alice", password: "pw", clientAddress: Self.attacker)
        }
        #expect(try await issuer.login(username: "alice", password: "pw", clientAddress: Self.alicesAddress).expiresIn == 3600)
        clock.advance(by: .seconds(150))
        #expect(try await issuer.login(username: "alice", password: "pw", clientAddress: Self.attacker).expiresIn == 3600)
    }

    @Test func theAddressesOfOneIPv6SubnetAreOneClient() async throws {
        let issuer = try await TokenIssuerTests.issuer(loginLimits: .init(freeFailures: 1))
        #expect(await Self.retryAfter(issuer, from: IPAddress("2001:db8:1:2::1")) == nil)
        #expect(await Self.retryAfter(issuer, from: IPAddress("2001:db8:1:2:ffff::7")) != nil, "same /64")
        #expect(await Self.retryAfter(issuer, from: IPAddress("2001:db8:1:3::1")) == nil, "another /64")
    }
}
