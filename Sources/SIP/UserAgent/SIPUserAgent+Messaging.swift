extension SIPUserAgent {
    /// Sends an instant message (RFC 3428) to `recipient` through the server.
    public func sendMessage(to recipient: SIPURI, text: String, contentType: String = "text/plain;charset=UTF-8")
        async throws(SIPUserAgentError) {
        var request = makeRequest(.message, uri: recipient, to: recipient)
        request.headers.add(SIPHeaderName.contentType, contentType)
        request.body = Array(text.utf8)
        try requireSuccess(try await execute(&request))
    }
}
