/// The native sites in scope in every program (what upstream's prelude imports with `import site`).
/// They keep no state between calls, so every program shares them as `ProgramConstant`s.
enum Builtins {
    static let tuple = ProgramConstant(.site(DataBuilder(.tuple)))
    static let list = ProgramConstant(.site(DataBuilder(.list)))

    private static let table: [String: ProgramConstant] = {
        var all: [String: ProgramConstant] = [:]
        for part in [OperatorSites.all(), CoreSites.all(), TimeSites.all(), StateSites.all(), StringMethods.sites()] {
            all.merge(part.mapValues(ProgramConstant.init)) { first, _ in first }
        }
        return all
    }()

    static func value(named name: String) -> ProgramConstant? { table[name] }
}
