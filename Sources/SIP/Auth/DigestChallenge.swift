/// A `WWW-Authenticate`/`Proxy-Authenticate: Digest …` challenge (RFC 3261 §22, RFC 8760).
public struct DigestChallenge: Sendable, Hashable, CustomStringConvertible {
    public var realm: String
    public var nonce: String
    public var algorithm: DigestAlgorithm
    /// The qop options offered; we answer `auth` when offered.
    public var qopOptions: [String]
    public var opaque: String?
    public var stale: Bool

    public init(realm: String, nonce: String, algorithm: DigestAlgorithm = .md5, qopOptions: [String] = ["auth"],
                opaque: String? = nil, stale: Bool = false) {
        self.realm = realm
        self.nonce = nonce
        self.algorithm = algorithm
        self.qopOptions = qopOptions
        self.opaque = opaque
        self.stale = stale
    }

    public var description: String {
        var text = #"Digest realm="\#(realm)", nonce="\#(nonce)", algorithm=\#(algorithm.rawValue)"#
        if !qopOptions.isEmpty { text += #", qop="\#(qopOptions.joined(separator: ","))""# }
        if let opaque { text += #", opaque="\#(opaque)""# }
        if stale { text += ", stale=true" }
        return text
    }

    public init(parsing value: String) throws(SIPParseError) {
        let params = try DigestParameters.parse(value)
        guard let realm = params["realm"], let nonce = params["nonce"] else {
            throw SIPParseError("digest challenge needs realm and nonce")
        }
        let algorithmToken = params["algorithm"] ?? "MD5"
        guard let algorithm = DigestAlgorithm(token: algorithmToken) else {
            throw SIPParseError("unsupported digest algorithm '\(algorithmToken)'")
        }
        self.init(realm: realm, nonce: nonce, algorithm: algorithm,
                  qopOptions: (params["qop"] ?? "").split(separator: ",").map { String($0).trimmingSIPWhitespace() },
                  opaque: params["opaque"], stale: params["stale"]?.lowercased() == "true")
    }
}

/// The `Digest` auth-params of a challenge or credentials: `name=token` or `name="quoted"`.
enum DigestParameters {
    static func parse(_ value: String) throws(SIPParseError) -> [String: String] {
        var s = SIPScanner(value)
        s.skipWhitespace()
        let scheme = try s.token("authentication scheme")
        guard scheme.lowercased() == "digest" else { throw SIPParseError("authentication scheme '\(scheme)' is not Digest") }
        var params: [String: String] = [:]
        repeat {
            s.skipWhitespace()
            let name = try s.token("digest parameter name").lowercased()
            guard s.consumeSeparator(UInt8(ascii: "=")) else { throw SIPParseError("digest parameter '\(name)' has no value") }
            params[name] = s.peek == UInt8(ascii: "\"") ? try s.quotedString() : try s.token("value of \(name)")
            s.skipWhitespace()
        } while s.consume(UInt8(ascii: ","))
        if !s.atEnd { throw SIPParseError("unexpected \(s.describePosition()) in digest parameters") }
        return params
    }
}
