import Foundation

/// The reverse proxies and load balancers in front of the node (`identity.trustedProxies`).
///
/// A login's client is the socket peer, unless the peer is one of these: then it is the rightmost
/// address of `X-Forwarded-For` that is not one of these (each trusted proxy appends the address it
/// received the request from; what lies further left came from the client and may be forged).
public struct TrustedProxies: Sendable, Decodable {
    /// A trusted address, or network in CIDR notation.
    struct Network: Sendable {
        let address: IPAddress
        let prefixLength: Int

        func contains(_ candidate: IPAddress) -> Bool {
            candidate.isIPv4 == address.isIPv4 && candidate.masked(toPrefix: prefixLength) == address
        }
    }

    /// An entry that is neither an IP address nor a network.
    public struct InvalidEntry: Error, Equatable, CustomStringConvertible {
        public let entry: String
        public var description: String {
            "'\(entry)' is not an IP address or a network such as 10.0.0.0/8 or 2001:db8::/32"
        }
    }

    /// No trusted proxy: the socket peer is the client.
    public static let none = TrustedProxies(networks: [])

    private let networks: [Network]

    private init(networks: [Network]) { self.networks = networks }

    /// - Parameter entries: addresses (`192.0.2.10`, `2001:db8::7`) and networks (`10.0.0.0/8`).
    public init(_ entries: [String]) throws(InvalidEntry) {
        networks = try entries.map { entry throws(InvalidEntry) in
            let parts = entry.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2, let address = IPAddress(parts[0]) else { throw InvalidEntry(entry: entry) }
            let bits = address.bytes.count * 8
            guard let prefixLength = parts.count == 2 ? Int(parts[1]) : bits, (0...bits).contains(prefixLength) else {
                throw InvalidEntry(entry: entry)
            }
            return Network(address: address.masked(toPrefix: prefixLength), prefixLength: prefixLength)
        }
    }

    /// Decodes a list of entries, as in the node's configuration file.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            try self.init(container.decode([String].self))
        } catch let invalid as InvalidEntry {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: invalid.description)
        }
    }

    public func contains(_ address: IPAddress) -> Bool { networks.contains { $0.contains(address) } }

    /// The client of a request that came from `peer` carrying `forwardedFor` (the values of its
    /// `X-Forwarded-For` fields, in order). A hop that is not an address ends the walk: the client
    /// is then the last trusted hop, so that no forged text ever becomes a client.
    public func clientAddress(peer: IPAddress?, forwardedFor: [String]) -> IPAddress? {
        guard var client = peer, contains(client) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
        for hop in hops.reversed() {
            guard let address = Self.address(ofHop: hop) else { break }
            client = address
            if !contains(address) { break }
        }
        return client
    }

    /// The address of one `X-Forwarded-For` hop: `192.0.2.1`, `2001:db8::1`, or either with a port
    /// (`192.0.2.1:4711`, `[2001:db8::1]:4711`), as some proxies write it.
    private static func address(ofHop hop: Substring) -> IPAddress? {
        let text = hop.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") {
            return IPAddress(text[text.index(after: text.startIndex)..<end])
        }
        if text.count(where: { $0 == ":" }) == 1, let colon = text.firstIndex(of: ":") {
            return IPAddress(text[..<colon])
        }
        return IPAddress(text)
    }
}
