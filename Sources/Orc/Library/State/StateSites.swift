/// The state sites: `Channel`, `BoundedChannel`, `Cell`, `Ref`, `Semaphore`, `Counter`, `Array`,
/// `Dictionary`. Blocking operations are quiescent (virtual clocks may advance past them).
/// The constructors refuse a wrong number of arguments as orc 2.1.2 does (`ArityMismatchException`;
/// `Array` and `Dictionary` check no more than the reference does).
enum StateSites {
    static func all() -> [String: OrcValue] {
        var sites: [String: OrcValue] = [:]
        func factory(_ name: String, _ make: @escaping ([OrcValue], MemoryBudget) -> SiteOutcome) {
            sites[name] = .site(MethodSite(name: name) { arguments, call in make(arguments, call.interpreter.memory) })
        }
        factory("Channel") { arguments, memory in
            if let error = arguments.expect(0) { return .error(error) }
            return .publish(.site(ChannelSite(bound: nil, memory: memory)))
        }
        factory("BoundedChannel") { arguments, memory in
            if let error = arguments.expect(1) { return .error(error) }
            guard case .int(let bound) = arguments[0], bound >= 0 else {
                return .error(.typeMismatch("BoundedChannel", expected: "a non-negative integer", got: arguments[0]))
            }
            return .publish(.site(ChannelSite(bound: bound, memory: memory)))
        }
        factory("Cell") { arguments, _ in
            if let error = arguments.expect(0) { return .error(error) }
            return .publish(.site(RefSite(name: "Cell", writeOnce: true, initial: nil)))
        }
        factory("Ref") { arguments, _ in
            if let error = arguments.expect(atMost: 1) { return .error(error) }
            return .publish(.site(RefSite(name: "Ref", writeOnce: false, initial: arguments.first)))
        }
        // Semaphore and Counter read their first argument before counting them, as the reference does.
        factory("Semaphore") { arguments, _ in
            guard let first = arguments.first else { return .error(.insufficientArguments(missing: 0, got: 0)) }
            guard case .int(let count) = first else {
                return .error(.typeMismatch("Semaphore", expected: "an integer", got: first))
            }
            if let error = arguments.expect(1) { return .error(error) }
            guard count >= 0 else {
                return .error(.java("java.lang.IllegalArgumentException", "Semaphore requires a non-negative argument"))
            }
            return .publish(.site(SemaphoreSite(count: count)))
        }
        factory("Counter") { arguments, _ in
            var initial = 0
            if let first = arguments.first {
                guard case .int(let count) = first else {
                    return .error(.typeMismatch("Counter", expected: "an integer", got: first))
                }
                initial = count
            }
            if let error = arguments.expect(atMost: 1) { return .error(error) }
            return .publish(.site(CounterSite(count: initial)))
        }
        factory("Array") { arguments, memory in
            guard arguments.count >= 1, case .int(let size) = arguments[0], size >= 0 else {
                return .error(.typeMismatch("Array", expected: "a non-negative size", got: arguments.first ?? .null))
            }
            guard size <= ArraySite.maximumSize else {
                return .error(.java("java.lang.OutOfMemoryError", "Array(\(size)) is larger than \(ArraySite.maximumSize) elements"))
            }
            // Refused before allocating: the run ends with the memory limit.
            guard memory.reserve(size * MemoryBudget.valueCost, for: "Array(\(size))") else { return .halt }
            return .publish(.site(ArraySite(size: size, memory: memory)))
        }
        factory("Dictionary") { _, memory in .publish(.site(DictionarySite(memory: memory))) }
        return sites
    }
}
