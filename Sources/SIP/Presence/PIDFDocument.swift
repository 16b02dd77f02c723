import Foundation

/// A presence document (PIDF, RFC 3863): the entity, its tuples with basic status and
/// notes. Generates the XML for PUBLISH and parses what NOTIFY brings.
public struct PIDFDocument: Sendable, Hashable {
    /// RFC 3863 basic status.
    public enum Basic: String, Sendable, Hashable {
        case open, closed
    }

    /// One `<tuple>`: a status with an optional note, contact and `<timestamp>` (when the status
    /// last changed, RFC 3863 §4.1.7).
    public struct Tuple: Sendable, Hashable {
        public var id: String
        public var basic: Basic
        public var note: String?
        public var contact: String?
        public var timestamp: Date?

        public init(id: String, basic: Basic, note: String? = nil, contact: String? = nil, timestamp: Date? = nil) {
            self.id = id
            self.basic = basic
            self.note = note
            self.contact = contact
            self.timestamp = timestamp
        }
    }

    public var entity: String
    public var tuples: [Tuple]
    /// `<note>` elements directly under `<presence>`.
    public var notes: [String]

    public init(entity: String, tuples: [Tuple], notes: [String] = []) {
        self.entity = entity
        self.tuples = tuples
        self.notes = notes
    }

    /// A one-tuple document, the shape a user agent publishes; `timestamp` is when the status changed.
    public init(entity: String, basic: Basic, note: String? = nil, timestamp: Date? = nil) {
        self.init(entity: entity, tuples: [Tuple(id: "t1", basic: basic, note: note, timestamp: timestamp)])
    }

    /// The overall status: open when any tuple is open.
    public var basic: Basic { tuples.contains { $0.basic == .open } ? .open : .closed }

    /// The first note of a tuple, else of the document.
    public var note: String? { tuples.lazy.compactMap(\.note).first ?? notes.first }

    /// The latest change of any tuple (their `<timestamp>`s), nil when no tuple has one.
    public var timestamp: Date? { tuples.lazy.compactMap(\.timestamp).max() }

    public static let contentType = "application/pidf+xml"
    public static let namespace = "urn:ietf:params:xml:ns:pidf"

    /// The XML text (UTF-8).
    public var xml: String {
        var text = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        text += #"<presence xmlns="\#(Self.namespace)" entity="\#(Self.escape(entity))">"#
        for tuple in tuples {
            text += #"<tuple id="\#(Self.escape(tuple.id))"><status><basic>\#(tuple.basic.rawValue)</basic></status>"#
            if let contact = tuple.contact { text += "<contact>\(Self.escape(contact))</contact>" }
            if let note = tuple.note { text += "<note>\(Self.escape(Self.withoutControlCharacters(note)))</note>" }
            if let timestamp = tuple.timestamp { text += "<timestamp>\(Self.timestampText(timestamp))</timestamp>" }
            text += "</tuple>"
        }
        for note in notes { text += "<note>\(Self.escape(Self.withoutControlCharacters(note)))</note>" }
        return text + "</presence>\n"
    }

    /// A note without C0 control characters other than tab and newline: XML 1.0 forbids them (the
    /// parser refuses a document that has them) and they could drive a watcher's terminal.
    static func withoutControlCharacters(_ note: String) -> String {
        let isControl = { (scalar: Unicode.Scalar) in scalar.value < 0x20 && scalar != "\t" && scalar != "\n" }
        guard note.unicodeScalars.contains(where: isControl) else { return note }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: note.unicodeScalars.lazy.filter { !isControl($0) })
        return String(kept)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
