import Crypto
import Foundation

/// Issues and checks server nonces without storing them: `timestamp.mac`, where the mac
/// is SHA-256 over a per-process secret and the timestamp, so a nonce cannot be forged
/// and expires after `lifetime`.
public struct DigestNonceIssuer: Sendable {
    private let secret: [UInt8]
    public let lifetime: Duration

    public init(lifetime: Duration = .seconds(300)) {
        var generator = SystemRandomNumberGenerator()
        self.secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        self.lifetime = lifetime
    }

    public func makeNonce(now: Date = Date()) -> String {
        let stamp = String(Int(now.timeIntervalSince1970), radix: 16)
        return stamp + "." + mac(stamp)
    }

    public enum Check: Sendable, Equatable { case valid, stale, forged }

    public func check(_ nonce: String, now: Date = Date()) -> Check {
        let parts = nonce.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let issued = Int(parts[0], radix: 16), constantTimeEqual(parts[1], mac(parts[0])) else { return .forged }
        return Double(Int(now.timeIntervalSince1970) - issued) <= Double(lifetime.components.seconds) ? .valid : .stale
    }

    private func mac(_ stamp: String) -> String {
        let digest = SHA256.hash(data: secret + Array(stamp.utf8))
        return digest.prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}
