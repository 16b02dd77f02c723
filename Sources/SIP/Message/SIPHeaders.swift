/// One header field line as it appeared (unfolded), under its canonical name.
public struct SIPHeaderField: Sendable, Hashable {
    public let name: String
    public var value: String
    /// The lowercase canonical name, computed once: lookups compare keys, not names.
    let key: String
    /// The `KnownHeaders` id of the name (`KnownHeaders.unknown` for others): known names compare by id.
    let id: UInt8

    public init(name: String, value: String) {
        if let id = KnownHeaders.id(of: name) {
            self.init(id: id, value: value)
        } else {
            self.init(unknownName: name, key: name.lowercased(), value: value)
        }
    }

    /// A field of a known header.
    init(id: UInt8, value: String) {
        self.name = KnownHeaders.table.names[Int(id)]
        self.key = KnownHeaders.table.keys[Int(id)]
        self.id = id
        self.value = value
    }

    /// A field of a header the table does not know, with its name's lowercase `key`.
    init(unknownName name: String, key: String, value: String) {
        self.name = name
        self.key = key
        self.id = KnownHeaders.unknown
        self.value = value
    }

    func matches(_ query: SIPHeaderQuery) -> Bool {
        id == query.id && (id != KnownHeaders.unknown || key == query.key)
    }
}

/// A header name resolved once for a lookup: its id, and its lowercase key for unknown names.
struct SIPHeaderQuery {
    let id: UInt8
    let key: String

    init(_ name: String) {
        if let id = KnownHeaders.id(of: name) {
            self.init(id: id)
        } else {
            self.init(id: KnownHeaders.unknown, key: name.lowercased())
        }
    }

    init(id: UInt8, key: String = "") {
        self.id = id
        self.key = key
    }
}

/// The header fields of a SIP message, in order, with case-insensitive lookup.
///
/// Repeated fields stay separate lines; `values(_:)` splits comma-separated lists for the
/// headers that allow them (RFC 3261 §7.3.1), respecting quotes and angle brackets.
public struct SIPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [SIPHeaderField] = []

    public init() {}
    public init(_ fields: [(String, String)]) {
        for (name, value) in fields { add(name, value) }
    }
    public init(dictionaryLiteral elements: (String, String)...) { self.init(elements) }

    public func makeIterator() -> IndexingIterator<[SIPHeaderField]> { fields.makeIterator() }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? { first(SIPHeaderQuery(name)) }

    /// All field lines of `name`, each as written.
    public func lines(_ name: String) -> [String] { lines(SIPHeaderQuery(name)) }

    /// All values of `name`, comma-separated lists split into elements.
    public func values(_ name: String) -> [String] {
        var elements: [String] = []
        for line in lines(name) {
            let bytes = Array(line.utf8)
            HeaderListSplitter.forEach(bytes, 0..<bytes.count) { elements.append(String(decoding: bytes[$0], as: UTF8.self)) }
        }
        return elements
    }

    func first(_ query: SIPHeaderQuery) -> String? {
        for field in fields where field.matches(query) { return field.value }
        return nil
    }

    func lines(_ query: SIPHeaderQuery) -> [String] {
        var lines: [String] = []
        for field in fields where field.matches(query) { lines.append(field.value) }
        return lines
    }

    func count(_ query: SIPHeaderQuery) -> Int {
        var count = 0
        for field in fields where field.matches(query) { count += 1 }
        return count
    }

    /// Appends a parsed field (the parser resolves names itself).
    mutating func append(_ field: SIPHeaderField) { fields.append(field) }

    mutating func reserveCapacity(_ count: Int) { fields.reserveCapacity(count) }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public mutating func add(_ name: String, _ value: String) {
        fields.append(SIPHeaderField(name: name, value: value))
    }

    /// Replaces every line of `name` by one line with `value` (at the first one's place).
    public mutating func set(_ name: String, _ value: String) {
        let query = SIPHeaderQuery(name)
        if let first = fields.firstIndex(where: { $0.matches(query) }) {
            fields[first].value = value
            var index = fields.count - 1
            while index > first {
                if fields[index].matches(query) { fields.remove(at: index) }
                index -= 1
            }
        } else {
            add(name, value)
        }
    }

    public mutating func remove(_ name: String) {
        let query = SIPHeaderQuery(name)
        fields.removeAll { $0.matches(query) }
    }

    /// Inserts a line before all others of any name (for a new top Via).
    public mutating func prepend(_ name: String, _ value: String) {
        fields.insert(SIPHeaderField(name: name, value: value), at: 0)
    }
}

extension SIPScanner {
    /// Calls `body` with a scanner (in this one's mode) over each element of the comma list in the scanned bytes.
    func forEachListElement(_ body: (inout SIPScanner) throws(SIPParseError) -> Void) throws(SIPParseError) {
        try HeaderListSplitter.forEach(bytes, index..<end) { (range) throws(SIPParseError) in
            var element = subScanner(range)
            try body(&element)
        }
    }
}

/// Splits a header value at top-level commas: not inside quotes or `<…>`.
enum HeaderListSplitter {
    /// Calls `body` with each element of `bytes[range]`, without the whitespace around it.
    static func forEach<Failure: Error>(_ bytes: [UInt8], _ range: Range<Int>,
                                        _ body: (Range<Int>) throws(Failure) -> Void) throws(Failure) {
        // Most values hold no comma at all: one element, no state machine.
        guard bytes[range].contains(UInt8(ascii: ",")) else { return try body(trimmed(bytes, range)) }
        var start = range.lowerBound
        var inQuotes = false
        var inAngles = false
        var escaped = false
        for index in range {
            let byte = bytes[index]
            if escaped {
                escaped = false
            } else if inQuotes && byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") && !inAngles {
                inQuotes.toggle()
            } else if !inQuotes && byte == UInt8(ascii: "<") {
                inAngles = true
            } else if !inQuotes && byte == UInt8(ascii: ">") {
                inAngles = false
            } else if !inQuotes && !inAngles && byte == UInt8(ascii: ",") {
                try body(trimmed(bytes, start..<index))
                start = index + 1
            }
        }
        try body(trimmed(bytes, start..<range.upperBound))
    }

    /// `range` without leading and trailing spaces and tabs.
    static func trimmed<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ range: Range<Int>) -> Range<Int>
    where Bytes.Index == Int {
        var start = range.lowerBound
        var end = range.upperBound
        while start < end, SIPCharacterClass.isWhitespace(bytes[start]) { start += 1 }
        while end > start, SIPCharacterClass.isWhitespace(bytes[end - 1]) { end -= 1 }
        return start..<end
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingSIPWhitespace() -> String {
        let bytes = Array(utf8)
        let range = HeaderListSplitter.trimmed(bytes, 0..<bytes.count)
        if range.count == bytes.count { return self }
        return String(decoding: bytes[range], as: UTF8.self)
    }
}
