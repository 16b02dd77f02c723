/// One header field line as it appeared (unfolded), under its canonical name.
public struct SIPHeaderField: Sendable, Hashable {
    public let name: String
    public var value: String
    /// The lowercase canonical name, computed once: lookups compare keys, not names.
    let key: String

    public init(name: String, value: String) {
        self.name = SIPHeaderName.canonical(name)
        self.value = value
        self.key = self.name.lowercased()
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
    public subscript(name: String) -> String? {
        let key = SIPHeaderName.key(name)
        return fields.first { $0.key == key }?.value
    }

    /// All field lines of `name`, each as written.
    public func lines(_ name: String) -> [String] {
        let key = SIPHeaderName.key(name)
        return fields.filter { $0.key == key }.map(\.value)
    }

    /// All values of `name`, comma-separated lists split into elements.
    public func values(_ name: String) -> [String] {
        lines(name).flatMap(HeaderListSplitter.split)
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public mutating func add(_ name: String, _ value: String) {
        fields.append(SIPHeaderField(name: name, value: value))
    }

    /// Replaces every line of `name` by one line with `value` (at the first one's place).
    public mutating func set(_ name: String, _ value: String) {
        let key = SIPHeaderName.key(name)
        if let first = fields.firstIndex(where: { $0.key == key }) {
            fields[first].value = value
            var index = fields.count - 1
            while index > first {
                if fields[index].key == key { fields.remove(at: index) }
                index -= 1
            }
        } else {
            add(name, value)
        }
    }

    public mutating func remove(_ name: String) {
        let key = SIPHeaderName.key(name)
        fields.removeAll { $0.key == key }
    }

    /// Inserts a line before all others of any name (for a new top Via).
    public mutating func prepend(_ name: String, _ value: String) {
        fields.insert(SIPHeaderField(name: name, value: value), at: 0)
    }
}

/// Splits a header value at top-level commas: not inside quotes or `<…>`.
enum HeaderListSplitter {
    static func split(_ value: String) -> [String] {
        var parts: [String] = []
        var current: [UInt8] = []
        var inQuotes = false
        var inAngles = false
        var escaped = false
        for byte in value.utf8 {
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
                parts.append(String(decoding: current, as: UTF8.self).trimmingSIPWhitespace())
                current.removeAll(keepingCapacity: true)
                continue
            }
            current.append(byte)
        }
        parts.append(String(decoding: current, as: UTF8.self).trimmingSIPWhitespace())
        return parts
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingSIPWhitespace() -> String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        if start == 0 && end == bytes.count { return self }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
