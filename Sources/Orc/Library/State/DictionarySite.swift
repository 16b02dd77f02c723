/// `Dictionary()`: `d.k` is a `Ref` created on first access.
final class DictionarySite: ObjectSite {
    private var entries: [String: RefSite] = [:]
    /// The run's budget, charged per entry.
    private let memory: MemoryBudget

    init(memory: MemoryBudget) {
        self.memory = memory
        super.init(name: "Dictionary")
    }

    deinit { memory.release(entries.count * MemoryBudget.valueCost) }

    override func member(_ name: String) -> OrcValue? {
        if let existing = entries[name] { return .site(existing) }
        let ref = RefSite(name: "Ref", writeOnce: false, initial: nil)
        entries[name] = ref
        memory.charge(MemoryBudget.valueCost)
        return .site(ref)
    }
}
