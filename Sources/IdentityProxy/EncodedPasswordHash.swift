/// The stored form of a password hash: `pbkdf2-sha256$<iterations>$<salt>$<hash>`.
struct EncodedPasswordHash: Sendable, Equatable {
    static let scheme = "pbkdf2-sha256"
    static let hashLength = 32
    /// Bounds a parsed hash may claim, so that a damaged row cannot make a login take minutes.
    static let iterationRange = PasswordHasher.minimumIterations...10_000_000

    var iterations: Int
    var salt: [UInt8]
    var hash: [UInt8]

    init(iterations: Int, salt: [UInt8], hash: [UInt8]) {
        self.iterations = iterations
        self.salt = salt
        self.hash = hash
    }

    /// Reads an encoded hash; nil when it is not in this format or out of bounds.
    init?(parsing text: String) {
        let fields = text.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 4, fields[0] == Self.scheme,
            let iterations = Int(fields[1]), Self.iterationRange.contains(iterations),
            let salt = Base64URL.decode(String(fields[2])), salt.count >= 8,
            let hash = Base64URL.decode(String(fields[3])), hash.count == Self.hashLength
        else { return nil }
        self.init(iterations: iterations, salt: salt, hash: hash)
    }

    var encoded: String {
        "\(Self.scheme)$\(iterations)$\(Base64URL.encode(salt))$\(Base64URL.encode(hash))"
    }
}
