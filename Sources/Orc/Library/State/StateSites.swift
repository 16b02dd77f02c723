/// The state sites: `Channel`, `BoundedChannel`, `Cell`, `Ref`, `Semaphore`, `Counter`, `Array`,
/// `Dictionary`. Blocking operations are quiescent (virtual clocks may advance past them).
enum StateSites {
    static func all() -> [String: OrcValue] {
        var sites: [String: OrcValue] = [:]
        func factory(_ name: String, _ make: @escaping ([OrcValue]) -> SiteOutcome) {
            sites[name] = .site(MethodSite(name: name) { arguments, _ in make(arguments) })
        }
        factory("Channel") { _ in .publish(.site(ChannelSite(bound: nil))) }
        factory("BoundedChannel") { arguments in
            guard arguments.count == 1, case .int(let bound) = arguments[0], bound >= 0 else {
                return .error(.typeMismatch("BoundedChannel", expected: "a non-negative integer", got: arguments.first ?? .null))
            }
            return .publish(.site(ChannelSite(bound: bound)))
        }
        factory("Cell") { _ in .publish(.site(RefSite(name: "Cell", writeOnce: true, initial: nil))) }
        factory("Ref") { arguments in .publish(.site(RefSite(name: "Ref", writeOnce: false, initial: arguments.first))) }
        factory("Semaphore") { arguments in
            guard arguments.count == 1, case .int(let count) = arguments[0] else {
                return .error(.typeMismatch("Semaphore", expected: "an integer", got: arguments.first ?? .null))
            }
            guard count >= 0 else {
                return .error(.java("java.lang.IllegalArgumentException", "Semaphore requires a non-negative argument"))
            }
            return .publish(.site(SemaphoreSite(count: count)))
        }
        factory("Counter") { arguments in
            var initial = 0
            if let first = arguments.first, case .int(let count) = first { initial = count }
            return .publish(.site(CounterSite(count: initial)))
        }
        factory("Array") { arguments in
            guard arguments.count >= 1, case .int(let size) = arguments[0], size >= 0 else {
                return .error(.typeMismatch("Array", expected: "a non-negative size", got: arguments.first ?? .null))
            }
            guard size <= ArraySite.maximumSize else {
                return .error(.java("java.lang.OutOfMemoryError", "Array(\(size)) is larger than \(ArraySite.maximumSize) elements"))
            }
            return .publish(.site(ArraySite(size: size)))
        }
        factory("Dictionary") { _ in .publish(.site(DictionarySite())) }
        return sites
    }
}
