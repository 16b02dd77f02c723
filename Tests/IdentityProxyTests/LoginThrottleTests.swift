import Foundation
import Testing
import WSETesting
@testable import IdentityProxy

/// The throttle's bookkeeping, driven directly (no password hashing), for what needs many tries.
@Suite struct LoginThrottleTests {
    static let attacker = IPAddress("203.0.113.9")

    /// A failed try of `user` from `client`.
    static func fail(_ throttle: LoginThrottle, _ user: String, from client: IPAddress?) async throws(LoginError) {
        let ticket = try await throttle.admit(user: user, client: client)
        await throttle.settle(ticket, as: .failed)
    }

    @Test func sprayingNamesDoesNotResetTheCountersOfAUserUnderAttack() async throws {
        let limits = LoginLimits(freeFailures: 3, maxTrackedEntries: 10_000)
        let throttle = LoginThrottle(limits: limits, now: ManualClock().date)
        for _ in 0..<3 { try await Self.fail(throttle, "alice", from: Self.attacker) }
        await #expect(throws: LoginError.rateLimited(retryAfter: .seconds(1))) { try await Self.fail(throttle, "alice", from: Self.attacker) }

        // Each sprayed name from its own address: the per-address budget does not stop it.
        for index in 0..<12_000 {
            try await Self.fail(throttle, "user\(index)", from: IPAddress("10.\(index / 65_536).\(index / 256 % 256).\(index % 256)"))
        }
        let tracked = await throttle.trackedEntries
        #expect(tracked.pairs <= limits.maxTrackedEntries && tracked.addresses <= limits.maxTrackedEntries)
        await #expect(throws: LoginError.rateLimited(retryAfter: .seconds(1))) { try await Self.fail(throttle, "alice", from: Self.attacker) }
    }

    @Test func aFullTableForgetsOnlyPartOfItsEntries() async throws {
        let limits = LoginLimits(freeFailures: 1, maxTrackedEntries: 100)
        let throttle = LoginThrottle(limits: limits, now: ManualClock().date)
        for index in 0..<101 { try await Self.fail(throttle, "user\(index)", from: nil) }
        let pairs = await throttle.trackedEntries.pairs
        #expect(pairs > 80 && pairs <= 100)
        // The entry that made room is kept, and limits its client.
        await #expect(throws: LoginError.self) { try await Self.fail(throttle, "user100", from: nil) }
    }

    @Test func aTryWhosePasswordCouldNotBeCheckedIsNotCounted() async throws {
        let throttle = LoginThrottle(limits: .init(freeFailures: 1, maxFailuresPerAddress: 1), now: ManualClock().date)
        for _ in 0..<3 {
            let ticket = try await throttle.admit(user: "alice", client: Self.attacker)
            await throttle.settle(ticket, as: .notChecked)
        }
        try await Self.fail(throttle, "alice", from: Self.attacker)
    }

    @Test func triesBeyondTheHashingSlotsAreBusyAndAFreedSlotAdmitsAgain() async throws {
        let throttle = LoginThrottle(limits: .init(maxPendingHashes: 2), now: ManualClock().date)
        let first = try await throttle.admit(user: "u1", client: nil)
        _ = try await throttle.admit(user: "u2", client: nil)
        await #expect(throws: LoginError.busy(retryAfter: .seconds(1))) { try await throttle.admit(user: "u3", client: nil) }
        await throttle.settle(first, as: .failed)
        _ = try await throttle.admit(user: "u3", client: nil)
    }

    @Test func failuresAreForgottenAfterADayWithoutTries() async throws {
        let clock = ManualClock()
        let throttle = LoginThrottle(
            limits: .init(freeFailures: 2, firstBackoff: .seconds(3600), maxBackoff: .seconds(86_400), forgetAfter: .seconds(86_400)), now: clock.date)
        for _ in 0..<2 { try await Self.fail(throttle, "alice", from: Self.attacker) }
        clock.advance(by: .seconds(3600))
        try await Self.fail(throttle, "alice", from: Self.attacker)
        await #expect(throws: LoginError.rateLimited(retryAfter: .seconds(7200))) { try await Self.fail(throttle, "alice", from: Self.attacker) }
        clock.advance(by: .seconds(86_400))
        for _ in 0..<2 { try await Self.fail(throttle, "alice", from: Self.attacker) }
    }
}
