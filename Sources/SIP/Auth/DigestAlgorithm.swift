import Crypto

/// The digest hash of RFC 8760: MD5 (the RFC 2617 default) or SHA-256.
public enum DigestAlgorithm: String, Sendable, Hashable, CaseIterable {
    case md5 = "MD5"
    case sha256 = "SHA-256"

    /// Accepts the token case-insensitively; nil for algorithms we do not implement.
    public init?(token: String) {
        switch token.uppercased() {
        case "MD5": self = .md5
        case "SHA-256": self = .sha256
        default: return nil
        }
    }

    /// The lowercase hex digest of `text`.
    public func hash(_ text: String) -> String {
        switch self {
        case .md5: Self.hex(Insecure.MD5.hash(data: Array(text.utf8)))
        case .sha256: Self.hex(SHA256.hash(data: Array(text.utf8)))
        }
    }

    private static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
