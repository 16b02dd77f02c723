/// The native sites in scope in every program (what upstream's prelude imports with `import site`).
enum Builtins {
    static let tuple = OrcValue.site(DataBuilder(.tuple))
    static let list = OrcValue.site(DataBuilder(.list))

    private static let table: [String: OrcValue] = {
        var all: [String: OrcValue] = [:]
        for part in [OperatorSites.all(), CoreSites.all(), TimeSites.all(), StateSites.all()] {
            all.merge(part) { first, _ in first }
        }
        return all
    }()

    static func value(named name: String) -> OrcValue? { table[name] }
}
