/// `Dictionary()`: `d.k` is a `Ref` created on first access.
final class DictionarySite: ObjectSite {
    private var entries: [String: RefSite] = [:]

    init() { super.init(name: "Dictionary") }

    override func member(_ name: String) -> OrcValue? {
        if let existing = entries[name] { return .site(existing) }
        let ref = RefSite(name: "Ref", writeOnce: false, initial: nil)
        entries[name] = ref
        return .site(ref)
    }
}
