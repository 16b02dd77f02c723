/// Random identifiers: Via branches (with the RFC 3261 magic cookie), tags and Call-IDs.
public enum SIPIdentifiers {
    public static let magicCookie = "z9hG4bK"

    public static func branch() -> String { magicCookie + random(16) }
    public static func tag() -> String { random(10) }
    public static func callID() -> String { random(20) }

    /// `length` lowercase hex digits.
    public static func random(_ length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: (0..<length).map { _ in digits[Int(generator.next() % 16)] }, as: UTF8.self)
    }
}
