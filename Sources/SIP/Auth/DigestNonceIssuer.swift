import Crypto
import Foundation

/// Issues and checks server nonces without storing them: `timestamp-salt.mac`, where the mac
/// is SHA-256 over a per-process secret, the timestamp and the salt, so a nonce cannot be forged
/// and expires after `lifetime`. The random salt makes every nonce unique (two challenges in the
/// same second differ), which lets a server count `nc` per nonce to refuse replays.
public struct DigestNonceIssuer: Sendable {
    private let secret: [UInt8]
    public let lifetime: Duration

    public init(lifetime: Duration = .seconds(300)) {
        var generator = SystemRandomNumberGenerator()
        self.secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        self.lifetime = lifetime
    }

    public func makeNonce(now: Date = Date()) -> String {
        let salt = String(UInt64.random(in: .min ... .max), radix: 16)
        let issued = String(Int(now.timeIntervalSince1970), radix: 16) + "-" + salt
        return issued + "." + mac(issued)
    }

    public enum Check: Sendable, Equatable { case valid, stale, forged }

    public func check(_ nonce: String, now: Date = Date()) -> Check {
        let parts = nonce.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, constantTimeEqual(parts[1], mac(parts[0])),
              let stamp = parts[0].split(separator: "-").first, let issued = Int(stamp, radix: 16) else { return .forged }
        return Double(Int(now.timeIntervalSince1970) - issued) <= Double(lifetime.components.seconds) ? .valid : .stale
    }

    private func mac(_ issued: String) -> String {
        let digest = SHA256.hash(data: secret + Array(issued.utf8))
        return digest.prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}
