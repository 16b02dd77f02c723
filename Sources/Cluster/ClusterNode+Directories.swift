import Foundation
import WSECore

extension ClusterNode: SessionDirectory {
    public func sessionOpened(_ session: SessionContext) {
        directoryWriter.enqueue(.sessionOpened(id: session.id, user: session.principal.user, principal: Self.json(of: session.principal)))
    }

    public func sessionEnded(_ session: SessionID) {
        directoryWriter.enqueue(.sessionEnded(session))
    }

    /// The batch that holds the changes made before is written (a failed batch is logged by the writer).
    public func written() async {
        await directoryWriter.committed()
    }

    /// The principal as `cluster_session.principal` keeps it (for operators: nodes use the resuming client's token).
    static func json(of principal: Principal) -> String {
        let fields: [String: JSONValue] = [
            "user": .string(principal.user.rawValue), "roles": .array(principal.roles.sorted().map { .string($0) }),
            "retailer": principal.retailer.map { .string($0) } ?? .null, "expiresAt": .number(principal.expiresAt.timeIntervalSince1970),
        ]
        return JSONValue.object(fields).jsonText
    }

    /// The principal `json(of:)` wrote; nil for text that is not one.
    static func principal(fromJSON text: String) -> Principal? {
        guard let fields = try? JSONValue.parse(text), let user = fields["user"]?.stringValue,
              let expiresAt = fields["expiresAt"]?.doubleValue
        else { return nil }
        let roles = (fields["roles"]?.arrayValue ?? []).compactMap(\.stringValue)
        return Principal(
            user: UserName(user), roles: Set(roles), retailer: fields["retailer"]?.stringValue,
            expiresAt: Date(timeIntervalSince1970: expiresAt))
    }
}

extension ClusterNode: ProcessDirectory {
    public func processStarted(_ process: DirectoryProcess) async {
        directoryWriter.enqueue(.processStarted(process))
        await directoryWriter.committed()
    }

    public func processEnded(_ pid: ProcessID) {
        directoryWriter.enqueue(.processEnded(pid))
    }
}
