/// An immutable singly linked list (Orc lists are built with `:` and matched with `h:t`).
public final class OrcList: Sequence {
    let head: OrcValue?
    let tail: OrcList?
    public let count: Int

    /// Shared by every run: it has no element and no field can change.
    nonisolated(unsafe) static let empty = OrcList(head: nil, tail: nil, count: 0)

    private init(head: OrcValue?, tail: OrcList?, count: Int) {
        self.head = head
        self.tail = tail
        self.count = count
    }

    static func cons(_ head: OrcValue, _ tail: OrcList) -> OrcList { OrcList(head: head, tail: tail, count: tail.count + 1) }

    public convenience init(_ elements: [OrcValue]) {
        var list = OrcList.empty
        for element in elements.reversed() { list = .cons(element, list) }
        self.init(head: list.head, tail: list.tail, count: list.count)
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
