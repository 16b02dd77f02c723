/// A value of the Orc language.
///
/// Plain data (numbers, strings, tuples, lists, records, datatype values) can be built and read by
/// the host. `closure` and `site` values are opaque references into a running program: the host
/// may pass them back to the same run, but must not use them from other threads.
public enum OrcValue: @unchecked Sendable {
    case signal
    case null
    case bool(Bool)
    /// Integers that fit in `Int`; larger ones are `bigInt` (arithmetic normalises between them).
    case int(Int)
    case bigInt(BigInt)
    /// A Java-style BigDecimal (decimal literals and exact arithmetic on them).
    case decimal(BigDecimal)
    /// A binary floating-point number (inexact division, `**` with a fractional exponent).
    case double(Double)
    case string(String)
    case tuple([OrcValue])
    case list(OrcList)
    case record(OrcRecord)
    /// A value built by a datatype constructor, e.g. `Some(3)`.
    case data(Constructor, [OrcValue])
    case closure(Closure)
    case site(Site)

    /// An integer from a `BigInt`, as `int` when it fits.
    static func integer(_ value: BigInt) -> OrcValue {
        if let small = value.asInt { return .int(small) }
        return .bigInt(value)
    }

    static let emptyList = OrcValue.list(.empty)
}

/// An immutable singly linked list (Orc lists are built with `:` and matched with `h:t`).
public final class OrcList: @unchecked Sendable, Sequence {
    let head: OrcValue?
    let tail: OrcList?
    public let count: Int

    static let empty = OrcList(head: nil, tail: nil, count: 0)

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

/// An Orc record `{. k = v, … .}`: fields in the order they were written (later keys replace earlier).
public struct OrcRecord: Sendable {
    public private(set) var fields: [(key: String, value: OrcValue)]

    public init(_ fields: [(String, OrcValue)]) {
        self.fields = []
        for (key, value) in fields { self[key] = value }
    }

    public subscript(key: String) -> OrcValue? {
        get { fields.first(where: { $0.key == key })?.value }
        set {
            if let index = fields.firstIndex(where: { $0.key == key }) {
                if let newValue { fields[index].value = newValue } else { fields.remove(at: index) }
            } else if let newValue {
                fields.append((key, newValue))
            }
        }
    }
}

/// A datatype constructor declared by `type T = C(_, _) | …` (also `Some`/`None` of the prelude).
public final class Constructor: Site, @unchecked Sendable {
    let arity: Int

    init(name: String, arity: Int) {
        self.arity = arity
        super.init(name: name)
    }

    override func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome {
        guard arguments.count == arity else { return .error(.arity(expected: arity, got: arguments.count)) }
        return .publish(.data(self, arguments))
    }
}
