import Testing
@testable import IdentityProxy

@Suite struct PasswordHasherTests {
    @Test func theRightPasswordMatchesAndAWrongOneDoesNot() async throws {
        let hasher = PasswordHasher()
        let encoded = try await hasher.hash("correct horse")
        #expect(try await hasher.verify("correct horse", against: encoded))
        #expect(try await hasher.verify("correct hors", against: encoded) == false)
        #expect(try await hasher.verify("", against: encoded) == false)
    }

    @Test func hashesNameTheirAlgorithmAndCostAndAreSaltedEachTime() async throws {
        let hasher = PasswordHasher()
        let first = try await hasher.hash("demo")
        let second = try await hasher.hash("demo")
        #expect(first.hasPrefix("pbkdf2-sha256$210000$"))
        #expect(first != second)
        #expect(!first.contains("demo"))
    }

    @Test func verifyUsesTheCostStoredInTheHash() async throws {
        let cheaper = try await PasswordHasher(iterations: 100_000).hash("pw")
        #expect(cheaper.hasPrefix("pbkdf2-sha256$100000$"))
        #expect(try await PasswordHasher().verify("pw", against: cheaper))
    }

    @Test func costBelowTheFloorIsRaised() {
        #expect(PasswordHasher(iterations: 10).iterations == PasswordHasher.minimumIterations)
    }

    @Test(arguments: [
        "", "plain-text", "md5$abc", "pbkdf2-sha256$210000$c2FsdHNhbHQ",  // too few fields
        "pbkdf2-sha256$10$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  // cost below the floor
        "pbkdf2-sha256$210000$***$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  // salt not base64url
        "pbkdf2-sha256$210000$c2FsdHNhbHQ$AAAA",  // hash of the wrong length
    ])
    func aStoredHashInAnotherFormatNeverMatches(stored: String) async throws {
        #expect(try await PasswordHasher().verify("pw", against: stored) == false)
    }

    /// RFC 7914 §11: PBKDF2-HMAC-SHA256("passwd", "salt", 1 round); the first 32 bytes.
    @Test func derivationMatchesTheRFCTestVector() throws {
        let derived = try PasswordHasher.derive(password: "passwd", salt: Array("salt".utf8), iterations: 1)
        let hex = derived.map { String(format: "%02x", $0) }.joined()
        #expect(hex == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc")
    }

    @Test func comparisonNeedsEveryByteEqual() {
        #expect(PasswordHasher.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!PasswordHasher.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!PasswordHasher.constantTimeEqual([1, 2, 3], [1, 2]))
    }
}
