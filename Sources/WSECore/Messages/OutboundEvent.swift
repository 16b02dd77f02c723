/// Asynchronous data on its way to a browser session, not yet numbered.
///
/// Components hand events to `SessionOutput` in this form; only the session, which numbers its events
/// and keeps them for resume, turns one into the wire `event` with its `seq`.
public struct OutboundEvent: Sendable, Equatable {
    /// The service the client asked for (events carry it even when an alternative serves).
    public var service: ServiceID
    /// The process the data belongs to; nil for an unsolicited push to a user.
    public var pid: ProcessID?
    public var data: JSONValue

    public init(service: ServiceID, pid: ProcessID?, data: JSONValue) {
        self.service = service
        self.pid = pid
        self.data = data
    }

    /// The wire message, once the session has given the event its number.
    public func message(seq: UInt64) -> ServerMessage {
        .event(seq: seq, service: service, pid: pid, data: data)
    }

    /// Appends what follows `seq` in the wire `event`, without the closing brace: `,"service":…,"pid":…,"data":…`.
    /// The same for every session the event goes to, so a fan-out encodes it once and splices each
    /// session's seq in front.
    public func writeFieldsAfterSeq(to out: inout String) {
        out += ",\"service\":"
        JSONValue.writeString(service.rawValue, to: &out)
        if let pid {
            out += ",\"pid\":"
            JSONValue.writeString(pid.rawValue, to: &out)
        }
        out += ",\"data\":"
        data.write(to: &out)
    }
}
