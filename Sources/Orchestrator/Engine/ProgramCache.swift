import Orc

/// Parsed programs by composition id and version, so that starting a composition does not parse it
/// again. An entry is used only if its source is the one stored now (a deleted and recreated
/// composition may reuse a version number). The oldest entries go first when it is full.
actor ProgramCache {
    private struct Key: Hashable {
        var id: String
        var version: Int
    }

    private let capacity: Int
    private var entries: [Key: (source: String, program: OrcProgram)] = [:]
    private var order: [Key] = []

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func program(id: String, version: Int, source: String, compile: () throws(OrcParseError) -> OrcProgram) throws(OrcParseError) -> OrcProgram {
        let key = Key(id: id, version: version)
        if let entry = entries[key], entry.source == source { return entry.program }
        let program = try compile()
        if entries.updateValue((source, program), forKey: key) == nil {
            order.append(key)
            if order.count > capacity { entries[order.removeFirst()] = nil }
        }
        return program
    }
}
