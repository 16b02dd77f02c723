import Crypto
import Foundation

extension Subscriber {
    /// RFC 2617's HA1 for MD5 digest: `MD5(authUser:realm:password)`, lower-case hex.
    public static func digestHA1(authUser: String, realm: String, password: String) -> String {
        Insecure.MD5.hash(data: Data("\(authUser):\(realm):\(password)".utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
