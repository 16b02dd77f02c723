import WSECore

/// What one node asks another over the bus.
enum BusRequest: Sendable, Codable, Equatable {
    /// Connector IN data for a process the receiving node runs (`services`: the pushing connector's services).
    case processData(pid: ProcessID, data: JSONValue, final: Bool, services: [ServiceID])
    /// An unsolicited push to the user's sessions on the receiving node.
    case userPush(user: UserName, service: ServiceID, data: JSONValue, services: [ServiceID])
    /// Another node takes this session over: drop it here without ending its processes.
    case letGo(session: SessionID)
    /// A test's probe: answered with `.pong`.
    case ping
}

/// A node's answer to a `BusRequest`.
enum BusReply: Sendable, Codable, Equatable {
    case delivered(Int)
    case notFound(String)
    case forbidden(String)
    case unavailable(String)
    /// `letGo` done: the session is no longer held there (or never was).
    case released
    case pong

    init(_ outcome: InboundOutcome) {
        switch outcome {
        case .delivered(let count): self = .delivered(count)
        case .notFound(let why): self = .notFound(why)
        case .forbidden(let why): self = .forbidden(why)
        case .unavailable(let why): self = .unavailable(why)
        }
    }

    /// The connector IN outcome this reply carries, if it is one.
    var outcome: InboundOutcome? {
        switch self {
        case .delivered(let count): .delivered(count)
        case .notFound(let why): .notFound(why)
        case .forbidden(let why): .forbidden(why)
        case .unavailable(let why): .unavailable(why)
        case .released, .pong: nil
        }
    }
}

/// One notification on a node's channel: a request (with the sender to reply to) or a reply, matched by `id`.
struct BusEnvelope: Sendable, Codable {
    var id: String
    /// The sender's node id (requests only).
    var from: String?
    var request: BusRequest?
    var reply: BusReply?
}

/// What travels in `pg_notify`: the envelope itself, or (over ``NodeBus/inlineLimit``) the id of the
/// `cluster_message` row that holds it.
struct BusNotification: Sendable, Codable {
    var envelope: BusEnvelope?
    var ref: Int64?
}
