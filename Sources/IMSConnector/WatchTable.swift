/// The running `subscribe` processes by pid, indexed by what they watch (user and entity) as
/// well, so that a NOTIFY finds its processes without scanning them all (a user may watch
/// thousands of contacts).
struct WatchTable {
    /// A running `subscribe` process: where its presence events go.
    struct Watch {
        let user: String
        let entity: String
        let callback: String
    }

    private struct Target: Hashable {
        let user: String
        let entity: String
    }

    private var byPid: [String: Watch] = [:]
    private var pidsByTarget: [Target: Set<String>] = [:]

    subscript(pid: String) -> Watch? {
        get { byPid[pid] }
        set {
            if let old = byPid.removeValue(forKey: pid) {
                let target = Target(user: old.user, entity: old.entity)
                pidsByTarget[target]?.remove(pid)
                if pidsByTarget[target]?.isEmpty == true { pidsByTarget[target] = nil }
            }
            guard let newValue else { return }
            byPid[pid] = newValue
            pidsByTarget[Target(user: newValue.user, entity: newValue.entity), default: []].insert(pid)
        }
    }

    /// The processes of `user` watching `entity`, by pid.
    func watching(_ entity: String, of user: String) -> [(pid: String, watch: Watch)] {
        (pidsByTarget[Target(user: user, entity: entity)] ?? []).compactMap { pid in byPid[pid].map { (pid, $0) } }
    }
}
