import Crypto
import CryptoExtras
import Foundation
import NIOCore
import NIOPosix

/// Hashes and checks subscriber passwords with PBKDF2-HMAC-SHA256 and a random salt per password.
///
/// The result is a self-describing string, `pbkdf2-sha256$<iterations>$<salt>$<hash>` (salt and hash in
/// unpadded base64url), so the cost can be raised later without breaking stored hashes: `verify` reads
/// the iterations from the hash it checks. The work runs on a thread pool of its own (``hashingPool``),
/// never on an event loop, the Swift concurrency pool or NIO's shared blocking pool (which serves file
/// I/O such as `/js/wse.js`): it is slow on purpose, and a burst of logins must not starve anything else.
public struct PasswordHasher: Sendable {
    /// OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
    public static let defaultIterations = 210_000
    /// The floor: lower values are raised to it.
    public static let minimumIterations = 100_000

    public let iterations: Int

    /// The process's pool for password hashing: one thread per two cores (at least one), so that
    /// hashing never takes more than half of the machine.
    public static let hashingPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount / 2))
        pool.start()
        return pool
    }()
    private let threadPool: NIOThreadPool

    /// - Parameter iterations: PBKDF2 rounds for new hashes; at least `minimumIterations`.
    public init(iterations: Int = PasswordHasher.defaultIterations, threadPool: NIOThreadPool = PasswordHasher.hashingPool) {
        self.iterations = max(iterations, Self.minimumIterations)
        self.threadPool = threadPool
    }

    /// A new encoded hash of `password`, with a fresh 16-byte salt.
    public func hash(_ password: String) async throws -> String {
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max) }
        let iterations = iterations
        let derived = try await threadPool.runIfActive {
            try Self.derive(password: password, salt: salt, iterations: iterations)
        }
        return EncodedPasswordHash(iterations: iterations, salt: salt, hash: derived).encoded
    }

    /// Whether `password` matches `encodedHash`. A hash in an unknown format never matches.
    /// The comparison takes the same time wherever the first difference is.
    public func verify(_ password: String, against encodedHash: String) async throws -> Bool {
        guard let stored = EncodedPasswordHash(parsing: encodedHash) else { return false }
        let derived = try await threadPool.runIfActive {
            try Self.derive(password: password, salt: stored.salt, iterations: stored.iterations)
        }
        return Self.constantTimeEqual(derived, stored.hash)
    }

    static func derive(password: String, salt: [UInt8], iterations: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256,
            outputByteCount: EncodedPasswordHash.hashLength, unsafeUncheckedRounds: iterations)
        return key.withUnsafeBytes { Array($0) }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
