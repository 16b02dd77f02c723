/// An `Authorization`/`Proxy-Authorization: Digest …` answer (RFC 3261 §22.4, RFC 8760).
public struct DigestCredentials: Sendable, Hashable, CustomStringConvertible {
    public var username: String
    public var realm: String
    public var nonce: String
    public var uri: String
    public var response: String
    public var algorithm: DigestAlgorithm
    public var qop: String?
    public var cnonce: String?
    public var nonceCount: String?
    public var opaque: String?

    public var description: String {
        var text = #"Digest username="\#(username)", realm="\#(realm)", nonce="\#(nonce)", uri="\#(uri)", response="\#(response)", algorithm=\#(algorithm.rawValue)"#
        if let qop, let cnonce, let nonceCount { text += #", qop=\#(qop), cnonce="\#(cnonce)", nc=\#(nonceCount)"# }
        if let opaque { text += #", opaque="\#(opaque)""# }
        return text
    }

    public init(parsing value: String) throws(SIPParseError) {
        let p = try DigestParameters.parse(value)
        guard let username = p["username"], let realm = p["realm"], let nonce = p["nonce"], let uri = p["uri"],
              let response = p["response"] else {
            throw SIPParseError("digest credentials need username, realm, nonce, uri and response")
        }
        guard let algorithm = DigestAlgorithm(token: p["algorithm"] ?? "MD5") else {
            throw SIPParseError("unsupported digest algorithm '\(p["algorithm"] ?? "")'")
        }
        self.init(username: username, realm: realm, nonce: nonce, uri: uri, response: response, algorithm: algorithm,
                  qop: p["qop"], cnonce: p["cnonce"], nonceCount: p["nc"], opaque: p["opaque"])
    }

    public init(username: String, realm: String, nonce: String, uri: String, response: String, algorithm: DigestAlgorithm,
                qop: String?, cnonce: String?, nonceCount: String?, opaque: String?) {
        self.username = username
        self.realm = realm
        self.nonce = nonce
        self.uri = uri
        self.response = response
        self.algorithm = algorithm
        self.qop = qop
        self.cnonce = cnonce
        self.nonceCount = nonceCount
        self.opaque = opaque
    }

    /// Answers `challenge` for `method` on `uri` (qop=auth when offered, else RFC 2069 style).
    public init(answering challenge: DigestChallenge, method: SIPMethod, uri: String, username: String, password: String,
                nonceCount: Int = 1, cnonce: String) {
        self.init(answering: challenge, method: method, uri: uri, username: username,
                  ha1: challenge.algorithm.hash("\(username):\(challenge.realm):\(password)"), nonceCount: nonceCount, cnonce: cnonce)
    }

    /// Answers `challenge` with a stored HA1 (`H(username:realm:password)` of the challenge's algorithm and realm)
    /// instead of the password, as a subscriber store that never keeps passwords in clear provides it.
    public init(answering challenge: DigestChallenge, method: SIPMethod, uri: String, username: String, ha1: String,
                nonceCount: Int = 1, cnonce: String) {
        let hex = String(nonceCount, radix: 16)
        let nc = String(repeating: "0", count: max(0, 8 - hex.count)) + hex
        let qop: String? = challenge.qopOptions.contains("auth") ? "auth" : nil
        let response = Self.response(algorithm: challenge.algorithm, ha1: ha1, nonce: challenge.nonce, method: method, uri: uri,
                                     qop: qop, nonceCount: nc, cnonce: cnonce)
        self.init(username: username, realm: challenge.realm, nonce: challenge.nonce, uri: uri, response: response,
                  algorithm: challenge.algorithm, qop: qop, cnonce: qop == nil ? nil : cnonce,
                  nonceCount: qop == nil ? nil : nc, opaque: challenge.opaque)
    }

    /// The expected `response` value given HA1 (RFC 2617 §3.2.2.1).
    static func response(algorithm: DigestAlgorithm, ha1: String, nonce: String, method: SIPMethod, uri: String,
                         qop: String?, nonceCount: String?, cnonce: String?) -> String {
        let ha2 = algorithm.hash("\(method.rawValue):\(uri)")
        if let qop, let nonceCount, let cnonce {
            return algorithm.hash("\(ha1):\(nonce):\(nonceCount):\(cnonce):\(qop):\(ha2)")
        }
        return algorithm.hash("\(ha1):\(nonce):\(ha2)")
    }

    /// True when `response` is right for `method` and this password.
    public func isValid(method: SIPMethod, password: String) -> Bool {
        let ha1 = algorithm.hash("\(username):\(realm):\(password)")
        let expected = Self.response(algorithm: algorithm, ha1: ha1, nonce: nonce, method: method, uri: uri,
                                     qop: qop, nonceCount: nonceCount, cnonce: cnonce)
        return constantTimeEqual(response.lowercased(), expected)
    }
}
