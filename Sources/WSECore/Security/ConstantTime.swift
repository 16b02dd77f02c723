import Crypto

/// Comparison of secrets (keys, tokens) whose time says nothing about where they differ nor
/// how long the expected secret is.
public enum ConstantTime {
    /// True when `presented` equals `expected`. Both sides are hashed to 32 bytes first, so the
    /// comparison's time does not depend on the secret's length, and the digests are compared
    /// without an early exit.
    public static func equal(_ presented: some StringProtocol, _ expected: some StringProtocol) -> Bool {
        let left = SHA256.hash(data: Array(presented.utf8))
        let right = SHA256.hash(data: Array(expected.utf8))
        var difference: UInt8 = 0
        for (a, b) in zip(left, right) { difference |= a ^ b }
        return difference == 0
    }
}
