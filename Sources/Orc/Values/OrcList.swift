/// An immutable singly linked list (Orc lists are built with `:` and matched with `h:t`).
public final class OrcList: Sequence {
    let head: OrcValue?
    /// Set once, but `var` so that `deinit` can unlink a long list cell by cell instead of by recursion.
    private(set) var tail: OrcList?
    public let count: Int
    /// The run that made this cell counts it while it lives (`MemoryBudget.values`); nil for lists made by
    /// the host or a parser.
    private let meter: ValueMeter?

    /// Shared by every run: it has no element and no field can change.
    nonisolated(unsafe) static let empty = OrcList(head: nil, tail: nil, count: 0, meter: nil)

    private init(head: OrcValue?, tail: OrcList?, count: Int, meter: ValueMeter?) {
        self.head = head
        self.tail = tail
        self.count = count
        self.meter = meter
        if let meter, let head { meter.add(MemoryBudget.cost(ofCellWith: head)) }
    }

    /// A cell in front of `tail`, counted by `meter` while it lives.
    static func cons(_ head: OrcValue, _ tail: OrcList, meter: ValueMeter? = nil) -> OrcList {
        OrcList(head: head, tail: tail, count: tail.count + 1, meter: meter)
    }

    /// The list of `elements`; its cells are counted by `meter`, when given.
    static func of(_ elements: [OrcValue], meter: ValueMeter?) -> OrcList {
        var list = OrcList.empty
        for element in elements.reversed() { list = .cons(element, list, meter: meter) }
        return list
    }

    public convenience init(_ elements: [OrcValue]) {
        let list = OrcList.of(elements, meter: nil)
        self.init(head: list.head, tail: list.tail, count: list.count, meter: nil)
    }

    deinit {
        if let meter, let head { meter.remove(MemoryBudget.cost(ofCellWith: head)) }
        // Releasing the tail releases its tail in turn: whether that takes a stack frame per cell is up to
        // the compiler (a debug build of Swift 6.3 made it a tail call), and a long list must not overflow
        // the stack of whichever thread drops it. Cells held by nothing else are unlinked in a loop instead.
        var next = tail.take()
        while var cell = next.take(), isKnownUniquelyReferenced(&cell) {
            next = cell.tail.take()
        }
    }

    public var isEmpty: Bool { count == 0 }

    public func makeIterator() -> AnyIterator<OrcValue> {
        var node: OrcList = self
        return AnyIterator {
            guard let value = node.head, let next = node.tail else { return nil }
            node = next
            return value
        }
    }
}
