/// The `code` of an `error` message sent to a browser (PROTOCOL.md, WebSocket session).
public enum ErrorCode: String, Sendable, Codable, CaseIterable {
    /// The message could not be understood: malformed JSON, missing or wrong fields.
    case badRequest = "bad_request"
    /// No service with that id is registered.
    case unknownService = "unknown_service"
    /// The access rule of the service does not admit this user or retailer.
    case forbidden
    /// The service's connector cannot be reached, failed, or its circuit is open, and no alternative could serve.
    case unavailable
    /// The connector did not answer in time.
    case timeout
    /// The service is at capacity and no alternative could serve.
    case overloaded
    /// Extension: the client sent messages faster than its rate limit allows (docs/PROTOCOL-EXTENSIONS.md).
    case rateLimited = "rate_limited"
    /// Extension: the process id named by `cancel` is unknown or not this session's.
    case unknownProcess = "unknown_process"
    /// Extension: the process ran on a node that is gone and cannot move (a composition); the client may start it again.
    case nodeLost = "node_lost"
}

/// A failure that a component reports to a client or connector as an error message.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: ErrorCode
    public let message: String

    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// The body of every HTTP error: `{"error":{"code":"…","message":"…"}}`.
public struct HTTPErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
        /// Extra fields some errors carry (for example `line` and `column` of an Orc parse error).
        public var line: Int?
        public var column: Int?

        public init(code: String, message: String, line: Int? = nil, column: Int? = nil) {
            self.code = code
            self.message = message
            self.line = line
            self.column = column
        }
    }

    public var error: Detail

    public init(code: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.error = Detail(code: code, message: message, line: line, column: column)
    }
}
