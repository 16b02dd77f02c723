/// A message from WSE to a browser (PROTOCOL.md, "WSE to client").
public enum ServerMessage: Sendable, Equatable {
    case welcome(session: SessionID, resumed: Bool, heartbeat: Int)
    case response(id: String, pid: ProcessID, data: JSONValue)
    /// Asynchronous data, numbered per session. Only the session builds it, from an `OutboundEvent`.
    case event(seq: UInt64, service: ServiceID, pid: ProcessID?, data: JSONValue)
    case end(pid: ProcessID, reason: EndReason)
    case error(id: String?, code: ErrorCode, message: String)

    /// The JSON text of the message, as sent in one text frame.
    public var jsonText: String {
        var out = "{\"type\":"
        switch self {
        case .welcome(let session, let resumed, let heartbeat):
            out += "\"welcome\",\"session\":"
            JSONValue.writeString(session.rawValue, to: &out)
            out += ",\"resumed\":\(resumed),\"heartbeat\":\(heartbeat)"
        case .response(let id, let pid, let data):
            out += "\"response\",\"id\":"
            JSONValue.writeString(id, to: &out)
            out += ",\"pid\":"
            JSONValue.writeString(pid.rawValue, to: &out)
            out += ",\"data\":"
            data.write(to: &out)
        case .event(let seq, let service, let pid, let data):
            out += "\"event\",\"seq\":\(seq)"
            OutboundEvent(service: service, pid: pid, data: data).writeFieldsAfterSeq(to: &out)
        case .end(let pid, let reason):
            out += "\"end\",\"pid\":"
            JSONValue.writeString(pid.rawValue, to: &out)
            out += ",\"reason\":\"\(reason.rawValue)\""
        case .error(let id, let code, let message):
            out += "\"error\""
            if let id {
                out += ",\"id\":"
                JSONValue.writeString(id, to: &out)
            }
            out += ",\"code\":\"\(code.rawValue)\",\"message\":"
            JSONValue.writeString(message, to: &out)
        }
        out += "}"
        return out
    }
}

/// Why a process ended.
public enum EndReason: String, Sendable, Codable {
    case done, cancelled, error
}
