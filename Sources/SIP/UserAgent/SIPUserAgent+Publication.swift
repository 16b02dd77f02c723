import NIOCore

extension SIPUserAgent {
    /// Our published presence state at the presence server (RFC 3903).
    struct Publication {
        var entityTag: String
        var refresh: Scheduled<Void>?
    }

    /// Publishes a PIDF document for the AoR: initial, or a modification of the current
    /// publication (SIP-If-Match). Refreshed without a body before it expires.
    public func publish(_ document: PIDFDocument) async throws(SIPUserAgentError) {
        publication?.refresh?.cancel()
        var response = try await sendPublish(body: document, ifMatch: publication?.entityTag, expires: configuration.publishExpires)
        if response.statusCode == 412 {
            // The server forgot our entity tag: start a fresh publication (RFC 3903 §4.6).
            publication = nil
            response = try await sendPublish(body: document, ifMatch: nil, expires: configuration.publishExpires)
        }
        try keepPublication(response)
    }

    /// Removes the publication (SIP-If-Match, Expires: 0).
    public func unpublish() async throws(SIPUserAgentError) {
        guard let current = publication else { return }
        current.refresh?.cancel()
        publication = nil
        let response = try await sendPublish(body: nil, ifMatch: current.entityTag, expires: 0)
        try requireSuccess(response)
    }

    private func refreshPublication() async {
        guard let tag = publication?.entityTag else { return }
        guard let response = try? await sendPublish(body: nil, ifMatch: tag, expires: configuration.publishExpires) else { return }
        try? keepPublication(response)
    }

    private func keepPublication(_ response: SIPResponse) throws(SIPUserAgentError) {
        try requireSuccess(response)
        guard let tag = response.headers[SIPHeaderName.sipETag] else { throw .protocolError("PUBLISH 2xx without SIP-ETag") }
        let expires = (try? response.headers.expires()) ?? configuration.publishExpires
        publication = Publication(entityTag: tag, refresh: schedule(after: Self.refreshDelay(expires)) { agent in
            await agent.refreshPublication()
        })
    }

    private func sendPublish(body: PIDFDocument?, ifMatch: String?, expires: Int) async throws(SIPUserAgentError) -> SIPResponse {
        let aor = configuration.addressOfRecord
        var request = makeRequest(.publish, uri: aor, to: aor)
        request.headers.add(SIPHeaderName.event, "presence")
        request.headers.add(SIPHeaderName.expires, "\(expires)")
        if let ifMatch { request.headers.add(SIPHeaderName.sipIfMatch, ifMatch) }
        if let body {
            request.headers.add(SIPHeaderName.contentType, PIDFDocument.contentType)
            request.body = Array(body.xml.utf8)
        }
        return try await execute(&request)
    }
}
