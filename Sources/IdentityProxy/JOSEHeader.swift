import Foundation
import WSECore

/// The header fields of a compact JWT that choose the key and say what it is: read before any key is looked up.
struct JOSEHeader: Decodable {
    var alg: String?
    var kid: String?
    var typ: String?

    init(token: String) throws(TokenError) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw .malformed("a JWT has three non-empty parts separated by dots")
        }
        guard let bytes = Base64URL.decode(String(parts[0])) else { throw .malformed("the header is not base64url") }
        do {
            self = try JSONDecoder().decode(JOSEHeader.self, from: Data(bytes))
        } catch {
            throw .malformed("the header is not a JSON object")
        }
    }
}
