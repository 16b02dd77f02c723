import NIOCore

extension SIPUserAgent {
    /// The binding we hold at the registrar (RFC 3261 §10).
    struct Registration {
        let callID: String
        var sequence: UInt32
        var expires: Int
        var refresh: Scheduled<Void>?
    }

    /// Registers the Contact for the AoR and keeps it refreshed before it expires.
    /// Returns the expiry the registrar granted.
    @discardableResult
    public func register() async throws(SIPUserAgentError) -> Int {
        registration?.refresh?.cancel()
        let expires = try await sendRegister(expires: configuration.registerExpires)
        registration?.refresh = schedule(after: Self.refreshDelay(expires)) { agent in
            _ = try? await agent.register()
        }
        return expires
    }

    /// Removes the binding (Expires: 0) and stops refreshing.
    public func unregister() async throws(SIPUserAgentError) {
        registration?.refresh?.cancel()
        _ = try await sendRegister(expires: 0)
        registration = nil
    }

    /// Whether a registration is held (and refreshed).
    public var isRegistered: Bool { registration != nil }

    private func sendRegister(expires: Int) async throws(SIPUserAgentError) -> Int {
        let callID = registration?.callID ?? SIPIdentifiers.callID()
        let sequence = (registration?.sequence ?? 0) + 1
        let aor = configuration.addressOfRecord
        var request = makeRequest(.register, uri: SIPURI(scheme: aor.scheme, host: aor.host, port: aor.port), to: aor,
                                  callID: callID, sequence: sequence)
        request.headers.add(SIPHeaderName.contact, contact.description)
        request.headers.add(SIPHeaderName.expires, "\(expires)")
        var response = try await execute(&request)
        if response.statusCode == 423, let minimum = try? response.headers.deltaSeconds(SIPHeaderName.minExpires) {
            request.headers.set(SIPHeaderName.expires, "\(minimum)")
            if var cseq = try? request.headers.cseq() {
                cseq.sequence += 1
                request.headers.set(SIPHeaderName.cseq, cseq.description)
            }
            response = try await execute(&request)
        }
        let finalSequence = (try? request.headers.cseq().sequence) ?? sequence
        registration = Registration(callID: callID, sequence: finalSequence, expires: expires, refresh: nil)
        try requireSuccess(response)
        return grantedExpiry(response, requested: expires)
    }

    /// Our Contact's `expires` in the 200 (RFC 3261 §10.2.4), else the Expires header.
    private func grantedExpiry(_ response: SIPResponse, requested: Int) -> Int {
        let ours = contact.uri
        let contacts = (try? response.headers.contacts()) ?? []
        let match = contacts.first { $0.uri.user == ours.user && $0.uri.host == ours.host && $0.uri.port == ours.port }
        if let value = match?.parameters["expires"], let seconds = Int(value) { return seconds }
        return (try? response.headers.expires()) ?? requested
    }
}
