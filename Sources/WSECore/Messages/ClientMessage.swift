/// A message from a browser to WSE (PROTOCOL.md, "Client to WSE").
public enum ClientMessage: Sendable, Equatable {
    case hello(token: String, resume: ResumePoint?)
    case request(ClientRequest)
    case cancel(pid: ProcessID)
    case ack(seq: UInt64)

    /// Where a reconnecting client left off.
    public struct ResumePoint: Sendable, Equatable {
        public var session: SessionID
        public var lastSeq: UInt64

        public init(session: SessionID, lastSeq: UInt64) {
            self.session = session
            self.lastSeq = lastSeq
        }
    }
}

/// A `request` message: call `action` of `service` with `data`.
public struct ClientRequest: Sendable, Equatable {
    /// The client's own id for the request, echoed in the response and errors.
    public var id: String
    public var service: ServiceID
    public var action: String
    public var data: JSONValue

    public init(id: String, service: ServiceID, action: String, data: JSONValue = .object([:])) {
        self.id = id
        self.service = service
        self.action = action
        self.data = data
    }
}

/// Why a client message was refused; `requestID` is set when the message carried an `id`.
public struct ClientMessageError: Error, Sendable, Equatable {
    public var requestID: String?
    public var message: String
}

extension ClientMessage {
    /// Reads one text frame. Every failure says what is wrong so the client can fix it.
    public static func decode(_ text: some Collection<UInt8>) throws(ClientMessageError) -> ClientMessage {
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            throw ClientMessageError(requestID: nil, message: error.description)
        }
        return try decode(value)
    }

    public static func decode(_ value: JSONValue) throws(ClientMessageError) -> ClientMessage {
        guard let object = value.objectValue else {
            throw ClientMessageError(requestID: nil, message: "a message must be a JSON object")
        }
        let id = object["id"]?.stringValue
        func fail(_ message: String) -> ClientMessageError { ClientMessageError(requestID: id, message: message) }
        guard let type = object["type"] else { throw fail("missing field \"type\"") }
        guard let typeName = type.stringValue else { throw fail("field \"type\" must be a string") }

        switch typeName {
        case "hello":
            guard let token = object["token"]?.stringValue, !token.isEmpty else {
                throw fail("hello needs a \"token\" string")
            }
            var resume: ResumePoint?
            if let r = object["resume"], !r.isNull {
                guard let session = r["session"]?.stringValue, let last = r["lastSeq"]?.intValue, last >= 0 else {
                    throw fail("resume needs {\"session\": string, \"lastSeq\": non-negative integer}")
                }
                resume = ResumePoint(session: SessionID(session), lastSeq: UInt64(last))
            }
            return .hello(token: token, resume: resume)
        case "request":
            guard let id, !id.isEmpty else { throw fail("request needs a non-empty \"id\" string") }
            guard let service = object["service"]?.stringValue, !service.isEmpty else {
                throw fail("request needs a \"service\" string")
            }
            guard let action = object["action"]?.stringValue, !action.isEmpty else {
                throw fail("request needs an \"action\" string")
            }
            return .request(ClientRequest(id: id, service: ServiceID(service), action: action, data: object["data"] ?? .object([:])))
        case "cancel":
            guard let pid = object["pid"]?.stringValue, !pid.isEmpty else { throw fail("cancel needs a \"pid\" string") }
            return .cancel(pid: ProcessID(pid))
        case "ack":
            guard let seq = object["seq"]?.intValue, seq >= 0 else { throw fail("ack needs a non-negative integer \"seq\"") }
            return .ack(seq: UInt64(seq))
        default:
            throw fail("unknown message type \"\(typeName)\"; expected hello, request, cancel or ack")
        }
    }
}
