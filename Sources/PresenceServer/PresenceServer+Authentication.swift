import SIP

extension PresenceServer {
    /// nil when the request carries valid digest credentials of the From user, made for this
    /// request-URI with a nonce count higher than any before for the nonce; else the challenge
    /// (401 for REGISTER, 407 otherwise, as a registrar and a proxy would), 400 or 403.
    func authenticate(_ request: SIPRequest) -> SIPResponse? {
        let isRegister = request.method == .register
        let value = request.headers[isRegister ? SIPHeaderName.authorization : SIPHeaderName.proxyAuthorization]
            ?? request.headers[isRegister ? SIPHeaderName.proxyAuthorization : SIPHeaderName.authorization]
        guard let value, let credentials = try? DigestCredentials(parsing: value), credentials.realm == configuration.domain else {
            return challenge(request, stale: false)
        }
        guard let from = try? request.headers.from(), from.uri.user.map(SIPURI.unescape) == credentials.username else {
            return SIPResponse(to: request, statusCode: 403, reason: "Credentials Do Not Match From")
        }
        // Bound to this request (RFC 2617 §3.2.2.5), so that credentials seen for one cannot serve another.
        guard credentials.uri == request.uri.description else {
            return SIPResponse(to: request, statusCode: 400, reason: "Digest URI Does Not Match Request-URI")
        }
        // The challenge asks for qop=auth: without it there is no nonce count to refuse a replay by.
        guard credentials.qop == "auth", let nonceCount = credentials.nonceCount.flatMap({ UInt32($0, radix: 16) }) else {
            return challenge(request, stale: false)
        }
        switch nonces.check(credentials.nonce) {
        case .forged: return challenge(request, stale: false)
        case .stale: return challenge(request, stale: true)
        case .valid: break
        }
        guard let password = configuration.users[credentials.username],
              credentials.isValid(method: request.method, password: password) else {
            logger.info("authentication failed", metadata: ["user": "\(credentials.username)", "method": "\(request.method)"])
            return challenge(request, stale: false)
        }
        // A repeated or lower count is a replay (or a request overtaken on the way): a fresh nonce lets an honest client retry.
        guard nonceCount > nonceCounts[credentials.nonce, default: 0] else { return challenge(request, stale: true) }
        nonceCounts[credentials.nonce] = nonceCount
        return nil
    }

    private func challenge(_ request: SIPRequest, stale: Bool) -> SIPResponse {
        let isRegister = request.method == .register
        var response = SIPResponse(to: request, statusCode: isRegister ? 401 : 407, toTag: SIPIdentifiers.tag())
        let challenge = DigestChallenge(realm: configuration.domain, nonce: nonces.makeNonce(), algorithm: configuration.algorithm,
                                        qopOptions: ["auth"], stale: stale)
        response.headers.add(isRegister ? SIPHeaderName.wwwAuthenticate : SIPHeaderName.proxyAuthenticate, challenge.description)
        return response
    }
}
