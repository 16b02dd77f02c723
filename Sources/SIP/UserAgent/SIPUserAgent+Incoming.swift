extension SIPUserAgent {
    /// Answers a request from the server: NOTIFY and MESSAGE are reported, OPTIONS is
    /// answered, anything else is 501 (RFC 3261 §8.2.1).
    func handle(_ request: SIPRequest, from source: SIPEndpoint) async -> SIPResponse {
        switch request.method {
        case .notify: return handleNotify(request)
        case .message: return handleMessage(request)
        case .options: return SIPResponse(to: request, statusCode: 200, allowing: Self.allowed)
        default: return SIPResponse(to: request, statusCode: 501, allowing: Self.allowed)
        }
    }

    static let allowed = "OPTIONS, MESSAGE, NOTIFY"

    private func handleMessage(_ request: SIPRequest) -> SIPResponse {
        guard let from = try? request.headers.from() else { return SIPResponse(to: request, statusCode: 400) }
        let contentType = request.headers[SIPHeaderName.contentType] ?? "text/plain"
        onEvent(.message(from: from.uri.addressOfRecord, contentType: contentType, body: String(decoding: request.body, as: UTF8.self)))
        return SIPResponse(to: request, statusCode: 200, toTag: SIPIdentifiers.tag())
    }
}
