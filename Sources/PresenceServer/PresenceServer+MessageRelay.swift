import SIP

extension PresenceServer {
    /// MESSAGE: relayed to the registered contact of the Request-URI's AoR; the sender gets
    /// the recipient's final status, 404 when nobody is registered, 408 when the recipient is silent.
    func relayMessage(_ request: SIPRequest) async -> SIPResponse {
        let aor = request.uri.addressOfRecord
        guard let binding = bindings[aor]?.max(by: { $0.expiresAt < $1.expiresAt }) else {
            return SIPResponse(to: request, statusCode: 404, reason: "Not Found (not registered)")
        }
        var relayed = SIPRequest(method: .message, uri: binding.contact, body: request.body)
        for name in [SIPHeaderName.from, SIPHeaderName.to, SIPHeaderName.callID, SIPHeaderName.cseq, SIPHeaderName.contentType] {
            if let value = request.headers[name] { relayed.headers.add(name, value) }
        }
        let response: SIPResponse
        do {
            response = try await layer.send(relayed, to: binding.source)
        } catch {
            return SIPResponse(to: request, statusCode: 408, reason: "Recipient Did Not Answer")
        }
        let status = [401, 407].contains(response.statusCode) ? 500 : response.statusCode
        return SIPResponse(to: request, statusCode: status, reason: response.reason, toTag: SIPIdentifiers.tag())
    }
}
