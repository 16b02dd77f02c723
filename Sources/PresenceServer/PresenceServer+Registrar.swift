import NIOCore
import SIP

/// One registered contact of an address-of-record.
struct Binding: Sendable {
    var contact: SIPURI
    var expiresAt: NIODeadline
    /// Where the REGISTER came from: requests for this contact go back there (the same
    /// datagram address, or the same TCP connection).
    var source: SIPEndpoint
}

extension PresenceServer {
    /// REGISTER: adds, refreshes or removes bindings of the To AoR (RFC 3261 §10.3).
    func register(_ request: SIPRequest, from source: SIPEndpoint) -> SIPResponse {
        guard let to = try? request.headers.to(), let from = try? request.headers.from() else {
            return SIPResponse(to: request, statusCode: 400)
        }
        guard to.uri.addressOfRecord == from.uri.addressOfRecord else {
            return SIPResponse(to: request, statusCode: 403, reason: "Third-Party Registration Not Allowed")
        }
        let aor = to.uri.addressOfRecord
        let defaultExpires = (try? request.headers.expires()) ?? 3600
        let now = self.now
        if request.headers.values(SIPHeaderName.contact) == ["*"] {
            guard defaultExpires == 0 else { return SIPResponse(to: request, statusCode: 400, reason: "Contact * Needs Expires: 0") }
            bindings[aor] = nil
        } else {
            guard let contacts = try? request.headers.contacts() else { return SIPResponse(to: request, statusCode: 400) }
            var list = bindings[aor] ?? []
            for contact in contacts {
                let requested = contact.parameters["expires"].flatMap { Int($0) } ?? defaultExpires
                let expires = min(requested, configuration.maxExpires)
                list.removeAll { $0.contact == contact.uri }
                if expires > 0 {
                    list.append(Binding(contact: contact.uri, expiresAt: now + .seconds(Int64(expires)), source: source))
                }
            }
            bindings[aor] = list.isEmpty ? nil : list
        }
        var response = SIPResponse(to: request, statusCode: 200, toTag: SIPIdentifiers.tag())
        for binding in bindings[aor] ?? [] {
            let remaining = max(0, Self.seconds(binding.expiresAt - now))
            response.headers.add(SIPHeaderName.contact, "<\(binding.contact)>;expires=\(remaining)")
        }
        return response
    }
}
