/// One call to a service connector (PROTOCOL.md, connector OUT).
public struct ConnectorCall: Sendable, Equatable, Codable {
    public var pid: ProcessID
    public var service: ServiceID
    public var action: String
    public var user: UserName
    public var data: JSONValue
    /// The URL of WSE's connector IN, where asynchronous data must be posted.
    public var callback: String

    public init(pid: ProcessID, service: ServiceID, action: String, user: UserName, data: JSONValue, callback: String) {
        self.pid = pid
        self.service = service
        self.action = action
        self.user = user
        self.data = data
        self.callback = callback
    }
}

/// What a connector answered.
public enum ConnectorReply: Sendable, Equatable {
    /// 200 `{"data": …}`: the synchronous result; the process is over.
    case result(JSONValue)
    /// 202: accepted; data will come through connector IN.
    case accepted
}

/// Why a connector call failed.
public enum ConnectorFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case timeout
    case unreachable(String)
    /// The connector answered with an error status and (if it sent one) an error body.
    case refused(status: Int, code: String?, message: String)
    /// The connector answered something that is not the protocol.
    case malformedReply(String)

    public var description: String {
        switch self {
        case .timeout: "connector did not answer in time"
        case .unreachable(let why): "connector unreachable: \(why)"
        case .refused(let status, let code, let message): "connector refused (\(status)\(code.map { " \($0)" } ?? "")): \(message)"
        case .malformedReply(let why): "connector answered garbage: \(why)"
        }
    }
}

/// Port: connector OUT, the client side toward service connectors.
public protocol ConnectorClient: Sendable {
    func send(_ call: ConnectorCall, endpoint: String, key: String, timeout: Duration) async throws(ConnectorFailure) -> ConnectorReply
    /// Tells the connector that a process was cancelled (extension: `DELETE <endpoint>/v1/requests/<pid>`).
    /// Best effort: a connector that ignores it still learns through connector IN's 404.
    func cancel(pid: ProcessID, endpoint: String, key: String) async
}
