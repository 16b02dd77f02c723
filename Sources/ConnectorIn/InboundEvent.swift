import WSECore

/// A connector IN body, in one of its two shapes (PROTOCOL.md, "Connector IN").
enum InboundEvent: Equatable {
    /// `{"pid","data","final"}`: data for a running process.
    case processData(pid: ProcessID, data: JSONValue, final: Bool)
    /// `{"user","service","data"}`: an unsolicited push to every session of a user.
    case userPush(user: UserName, service: ServiceID, data: JSONValue)

    /// Why a body is not a valid event (answered 400 with this text).
    struct Invalid: Error, Equatable {
        let reason: String
    }

    static func parse(_ body: JSONValue) throws(Invalid) -> InboundEvent {
        guard let object = body.objectValue else { throw Invalid(reason: "the body must be a JSON object") }
        let hasPid = object["pid"] != nil
        let hasUser = object["user"] != nil
        switch (hasPid, hasUser) {
        case (true, true):
            throw Invalid(reason: "give either \"pid\" or \"user\", not both")
        case (true, false):
            guard let pid = object["pid"]?.stringValue, !pid.isEmpty else { throw Invalid(reason: "\"pid\" must be a non-empty string") }
            var final = false
            if let value = object["final"] {
                guard let flag = value.boolValue else { throw Invalid(reason: "\"final\" must be true or false") }
                final = flag
            }
            let data: JSONValue? = object["data"]
            if data == nil, !final {
                throw Invalid(reason: "a process push needs \"data\" (it may be omitted only when \"final\" is true)")
            }
            return .processData(pid: ProcessID(pid), data: data ?? .null, final: final)
        case (false, true):
            guard let user = object["user"]?.stringValue, !user.isEmpty else { throw Invalid(reason: "\"user\" must be a non-empty string") }
            guard let service = object["service"]?.stringValue, !service.isEmpty else {
                throw Invalid(reason: "a user push needs a non-empty \"service\" string")
            }
            guard let data = object["data"] else { throw Invalid(reason: "a user push needs \"data\"") }
            return .userPush(user: UserName(user), service: ServiceID(service), data: data)
        case (false, false):
            throw Invalid(reason: "the body must be {\"pid\",\"data\",\"final\"} or {\"user\",\"service\",\"data\"}")
        }
    }
}
