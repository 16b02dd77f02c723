/// Header names: compact forms (RFC 3261 §7.3.3 and later RFCs) and canonical spellings.
///
/// Names compare case-insensitively; the parser stores each field under its canonical
/// spelling so that lookups and serialisation are uniform.
public enum SIPHeaderName {
    public static let via = "Via"
    public static let from = "From"
    public static let to = "To"
    public static let callID = "Call-ID"
    public static let cseq = "CSeq"
    public static let maxForwards = "Max-Forwards"
    public static let contact = "Contact"
    public static let contentLength = "Content-Length"
    public static let contentType = "Content-Type"
    public static let expires = "Expires"
    public static let event = "Event"
    public static let subscriptionState = "Subscription-State"
    public static let sipETag = "SIP-ETag"
    public static let sipIfMatch = "SIP-If-Match"
    public static let wwwAuthenticate = "WWW-Authenticate"
    public static let proxyAuthenticate = "Proxy-Authenticate"
    public static let authorization = "Authorization"
    public static let proxyAuthorization = "Proxy-Authorization"
    public static let recordRoute = "Record-Route"
    public static let route = "Route"
    public static let allow = "Allow"
    public static let date = "Date"
    public static let userAgent = "User-Agent"
    public static let minExpires = "Min-Expires"

    /// The canonical spelling of `name`: compact forms expanded, known names in their RFC case,
    /// unknown names as written.
    public static func canonical(_ name: String) -> String {
        KnownHeaders.id(of: name).map { KnownHeaders.table.names[Int($0)] } ?? name
    }

    /// The lowercase key used for case-insensitive comparison.
    static func key(_ name: String) -> String {
        KnownHeaders.id(of: name).map { KnownHeaders.table.keys[Int($0)] } ?? name.lowercased()
    }
}

/// The header names the stack knows, each with a small id, and an allocation-free lookup of a
/// name's id from its bytes (case-insensitive, compact forms included). Header fields and
/// lookups compare ids instead of lowercased strings.
struct KnownHeaders: Sendable {
    /// The id of a name that is not in the table.
    static let unknown: UInt8 = .max
    // The ids of the headers the parser and validator look at: their places in `names`.
    static let via: UInt8 = 0
    static let from: UInt8 = 1
    static let to: UInt8 = 2
    static let callID: UInt8 = 3
    static let cseq: UInt8 = 4
    static let maxForwards: UInt8 = 5
    static let contact: UInt8 = 6
    static let contentLength: UInt8 = 7
    static let contentType: UInt8 = 8
    static let expires: UInt8 = 9
    static let recordRoute: UInt8 = 18
    static let date: UInt8 = 21

    let names: [String]
    /// `names` lowercased: the comparison keys.
    let keys: [String]
    /// All keys' bytes one after another; key `id` is `keyBytes[keyStart[id]..<keyStart[id + 1]]`.
    private let keyBytes: [UInt8]
    private let keyStart: [Int]
    /// Open addressing by `hash`: an id, or `unknown` for an empty slot.
    private let slots: [UInt8]
    /// The id of each one-letter compact form, by lowercase letter.
    private let compact: [UInt8]

    static let table = KnownHeaders()

    private init() {
        let names = [
            SIPHeaderName.via, SIPHeaderName.from, SIPHeaderName.to, SIPHeaderName.callID, SIPHeaderName.cseq,
            SIPHeaderName.maxForwards, SIPHeaderName.contact, SIPHeaderName.contentLength, SIPHeaderName.contentType,
            SIPHeaderName.expires, SIPHeaderName.event, SIPHeaderName.subscriptionState, SIPHeaderName.sipETag,
            SIPHeaderName.sipIfMatch, SIPHeaderName.wwwAuthenticate, SIPHeaderName.proxyAuthenticate,
            SIPHeaderName.authorization, SIPHeaderName.proxyAuthorization, SIPHeaderName.recordRoute, SIPHeaderName.route,
            SIPHeaderName.allow, SIPHeaderName.date, SIPHeaderName.userAgent, SIPHeaderName.minExpires, "Subject",
            "Supported", "Allow-Events", "Content-Encoding", "Require", "Unsupported", "Retry-After", "Server", "Accept",
            "Warning", "Refer-To", "Referred-By", "Session-Expires", "Identity", "Accept-Contact", "Reject-Contact",
            "Request-Disposition",
        ]
        let compactForms: [Character: String] = [
            "i": SIPHeaderName.callID, "m": SIPHeaderName.contact, "e": "Content-Encoding", "l": SIPHeaderName.contentLength,
            "c": SIPHeaderName.contentType, "f": SIPHeaderName.from, "s": "Subject", "k": "Supported", "t": SIPHeaderName.to,
            "v": SIPHeaderName.via, "o": SIPHeaderName.event, "u": "Allow-Events", "r": "Refer-To", "b": "Referred-By",
            "x": "Session-Expires", "y": "Identity", "a": "Accept-Contact", "j": "Reject-Contact", "d": "Request-Disposition",
        ]
        assert([Self.via, Self.from, Self.to, Self.callID, Self.cseq, Self.maxForwards, Self.contact, Self.contentLength,
                Self.contentType, Self.expires, Self.recordRoute, Self.date].map { names[Int($0)] }
               == [SIPHeaderName.via, SIPHeaderName.from, SIPHeaderName.to, SIPHeaderName.callID, SIPHeaderName.cseq,
                   SIPHeaderName.maxForwards, SIPHeaderName.contact, SIPHeaderName.contentLength, SIPHeaderName.contentType,
                   SIPHeaderName.expires, SIPHeaderName.recordRoute, SIPHeaderName.date])
        self.names = names
        self.keys = names.map { $0.lowercased() }
        var keyBytes: [UInt8] = []
        var keyStart: [Int] = []
        var slots = [UInt8](repeating: Self.unknown, count: 256)
        for (id, key) in keys.enumerated() {
            keyStart.append(keyBytes.count)
            keyBytes.append(contentsOf: key.utf8)
            var slot = Self.hash(Array(key.utf8))
            while slots[slot] != Self.unknown { slot = (slot + 1) & 255 }
            slots[slot] = UInt8(id)
        }
        keyStart.append(keyBytes.count)
        var compact = [UInt8](repeating: Self.unknown, count: 256)
        for (letter, name) in compactForms {
            compact[Int(letter.asciiValue!)] = UInt8(names.firstIndex(of: name)!)
        }
        self.keyBytes = keyBytes
        self.keyStart = keyStart
        self.slots = slots
        self.compact = compact
    }

    /// A case-insensitive hash of a name into 0..<256 from its length and its first, second and last
    /// bytes: constant time, and few enough collisions among the known names (`id` verifies).
    private static func hash<Name: RandomAccessCollection<UInt8>>(_ name: Name) -> Int where Name.Index == Int {
        guard let first = name.first, let last = name.last else { return 0 }
        let second = name[name.startIndex + 1]
        let mixed = name.count &* 97 &+ Int(SIPCharacterClass.lowercased(first)) &* 31
            &+ Int(SIPCharacterClass.lowercased(second)) &* 7 &+ Int(SIPCharacterClass.lowercased(last))
        return mixed & 255
    }

    /// The id of a header name given as bytes, or `unknown`.
    func id<Name: RandomAccessCollection<UInt8>>(bytes name: Name) -> UInt8 where Name.Index == Int {
        if name.count <= 1 { return name.isEmpty ? Self.unknown : compact[Int(SIPCharacterClass.lowercased(name.first!))] }
        var slot = Self.hash(name)
        while true {
            let id = slots[slot]
            if id == Self.unknown { return id }
            let start = keyStart[Int(id)]
            if keyStart[Int(id) + 1] - start == name.count {
                var offset = start
                var matches = true
                for b in name {
                    if SIPCharacterClass.lowercased(b) != keyBytes[offset] {
                        matches = false
                        break
                    }
                    offset += 1
                }
                if matches { return id }
            }
            slot = (slot + 1) & 255
        }
    }

    /// The id of `name`, nil when it is not a known header.
    static func id(of name: String) -> UInt8? {
        let id = name.utf8.withContiguousStorageIfAvailable { table.id(bytes: $0) } ?? table.id(bytes: Array(name.utf8))
        return id == unknown ? nil : id
    }
}
