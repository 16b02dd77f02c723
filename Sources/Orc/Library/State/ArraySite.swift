/// `Array(n)`: `a(i)` is a reference to slot i (`a(i)?`, `a(i) := v`); `a.length?` is the size.
final class ArraySite: ObjectSite {
    static let maximumSize = 100_000_000
    private var slots: [OrcValue]
    /// The run's budget, charged for the slots by the constructor.
    private let memory: MemoryBudget

    init(size: Int, memory: MemoryBudget) {
        slots = Array(repeating: .null, count: size)
        self.memory = memory
        super.init(name: "Array")
    }

    deinit { memory.release(slots.count * MemoryBudget.valueCost) }

    private func index(_ arguments: [OrcValue]) -> Int? {
        guard let first = arguments.first, case .int(let index) = first, slots.indices.contains(index) else { return nil }
        return index
    }

    private func outOfBounds(_ arguments: [OrcValue]) -> SiteOutcome {
        .error(.java("java.lang.ArrayIndexOutOfBoundsException", arguments.first?.formatted ?? "missing index"))
    }

    override func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome {
        guard let index = index(arguments) else { return outOfBounds(arguments) }
        return .publish(.site(SlotSite(array: self, index: index)))
    }

    override func method(_ name: String) -> (([OrcValue], SiteCall) -> SiteOutcome)? {
        switch name {
        case "get": return { arguments, _ in
            guard let index = self.index(arguments) else { return self.outOfBounds(arguments) }
            return .publish(self.slots[index])
        }
        case "set": return { arguments, _ in
            guard arguments.count == 2, let index = self.index(arguments) else { return self.outOfBounds(arguments) }
            self.slots[index] = arguments[1]
            return .publish(.signal)
        }
        case "length": return { _, _ in .publish(.int(self.slots.count)) }
        default: return nil
        }
    }

    override func member(_ name: String) -> OrcValue? {
        if name == "length" { return .site(ConstantRef(value: .int(slots.count))) }
        return super.member(name)
    }

    /// One element of an array, used as a reference.
    final class SlotSite: ObjectSite {
        let array: ArraySite
        let index: Int

        init(array: ArraySite, index: Int) {
            self.array = array
            self.index = index
            super.init(name: "Array slot")
        }

        override func method(_ name: String) -> (([OrcValue], SiteCall) -> SiteOutcome)? {
            switch name {
            case "read", "readD": return { _, _ in .publish(self.array.slots[self.index]) }
            case "write": return { arguments, _ in
                if let error = arguments.expect(1) { return .error(error) }
                self.array.slots[self.index] = arguments[0]
                return .publish(.signal)
            }
            default: return nil
            }
        }
    }
}
