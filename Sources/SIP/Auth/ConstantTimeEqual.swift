import Crypto

/// True when `presented` equals `expected`, in a time that says nothing about where they differ
/// nor how long they are: both are hashed to 32 bytes, compared without an early exit. For
/// digest responses and nonce MACs (the SIP stack stands alone, so it has its own).
func constantTimeEqual(_ presented: some StringProtocol, _ expected: some StringProtocol) -> Bool {
    let left = SHA256.hash(data: Array(presented.utf8))
    let right = SHA256.hash(data: Array(expected.utf8))
    var difference: UInt8 = 0
    for (a, b) in zip(left, right) { difference |= a ^ b }
    return difference == 0
}
