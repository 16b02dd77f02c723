import SIP

extension PresenceServer {
    /// nil when the request carries valid digest credentials of the From user; else the
    /// challenge (401 for REGISTER, 407 otherwise, as a registrar and a proxy would) or 403.
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
