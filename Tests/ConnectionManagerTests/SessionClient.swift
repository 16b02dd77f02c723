import WSECore

/// What the two test clients share (`TestWebSocket` over a real socket, `TestConnection` on a test
/// event loop): sending a JSON message and reading the next one, and so the session's `hello`.
protocol SessionClient {
    func send(_ json: JSONValue) async throws
    func nextMessage() async throws -> JSONValue
}

extension SessionClient {
    /// Says hello (resuming `resume` when given) and returns the `welcome`.
    func hello(token: String, resume: (session: SessionID, lastSeq: UInt64)? = nil) async throws -> JSONValue {
        var hello: [String: JSONValue] = ["type": "hello", "token": .string(token)]
        if let resume { hello["resume"] = ["session": .string(resume.session.rawValue), "lastSeq": .number(Double(resume.lastSeq))] }
        try await send(.object(hello))
        let welcome = try await nextMessage()
        guard welcome["type"] == "welcome" else { throw TestClientError(description: "expected welcome, got \(welcome.jsonText)") }
        return welcome
    }
}

extension TestConnection: SessionClient {}

extension TestWebSocket: SessionClient {
    func nextMessage() async throws -> JSONValue { try await nextMessage(within: .seconds(5)) }
}
