import Crypto
import Foundation

extension ProviderAccount {
    /// A new provider key: `pk_` and 32 random base-62 characters (about 190 bits).
    public static func makeKey() -> String { RandomID.make(prefix: "pk_", length: 32) }

    /// What is stored of `key`: its SHA-256 in lower-case hex.
    public static func hash(key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
