import ConnectorKit

/// The REST connector's own error: a cancel for a subscription it does not run.
extension ConnectorError {
    static func unknownProcess(_ pid: String) -> ConnectorError {
        ConnectorError(status: .notFound, code: "unknown_process", message: "no running subscription with pid \(pid)")
    }
}
