import Foundation
import WSECore

extension ServiceRegistry {
    /// Longest accepted service id.
    static let maxIDLength = 64
    /// Longest accepted connector timeout, in seconds.
    static let maxTimeout = 300.0
    /// Shortest accepted connector key: 24 random base64 characters carry 144 bits.
    static let minKeyLength = 24
    /// Fewest different characters in a connector key, a simple guard against `aaaa…` or `12341234…`.
    static let minDistinctKeyCharacters = 8

    /// Checks one definition against the others it would live with (`others` excludes its own id).
    static func validate(_ service: ServiceDefinition, among others: [ServiceID: ServiceDefinition]) throws(RegistryError) {
        try validateID(service.id.rawValue)
        switch service.kind {
        case .basic:
            guard let endpoint = service.endpoint, !endpoint.isEmpty else {
                throw .invalid("basic service \"\(service.id)\" needs an \"endpoint\"")
            }
            guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                let host = url.host, !host.isEmpty, url.query == nil
            else {
                throw .invalid("endpoint \"\(endpoint)\" of \"\(service.id)\" must be an http(s) URL without a query")
            }
            guard let key = service.connectorKey, !key.isEmpty else {
                throw .invalid("basic service \"\(service.id)\" needs a \"connectorKey\"")
            }
            // The key is all that lets a connector push to users: it must not be guessable.
            guard key.count >= minKeyLength, Set(key).count >= minDistinctKeyCharacters else {
                throw .invalid("the \"connectorKey\" of \"\(service.id)\" is too weak: use at least \(minKeyLength) random characters "
                    + "(at least \(minDistinctKeyCharacters) different ones), e.g. from `openssl rand -base64 24`")
            }
        case .composed:
            if let composition = service.composition, composition.isEmpty {
                throw .invalid("composed service \"\(service.id)\" has an empty \"composition\"")
            }
        }
        if let capacity = service.capacity, capacity < 1 {
            throw .invalid("capacity of \"\(service.id)\" must be at least 1 (omit it for no limit)")
        }
        guard service.timeout > 0, service.timeout <= maxTimeout else {
            throw .invalid("timeout of \"\(service.id)\" must be more than 0 and at most \(Int(maxTimeout)) seconds")
        }
        try validateAlternatives(of: service, among: others)
    }

    /// Letters, digits, `_`, `-` and `.`, starting with a letter or digit.
    static func validateID(_ id: String) throws(RegistryError) {
        let allowed = id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D || byte == 0x2E
        }
        guard !id.isEmpty, id.utf8.count <= maxIDLength, allowed, let first = id.utf8.first, first != 0x5F, first != 0x2D, first != 0x2E
        else {
            throw .invalid("service id \"\(id)\" must be 1 to \(maxIDLength) letters, digits, '_', '-' or '.', starting with a letter or digit")
        }
    }

    /// Every alternative exists, none repeats or names the service itself, and following alternatives never loops.
    private static func validateAlternatives(of service: ServiceDefinition, among others: [ServiceID: ServiceDefinition]) throws(RegistryError) {
        var seen = Set<ServiceID>()
        for alternative in service.alternatives {
            guard alternative != service.id else { throw .invalid("\"\(service.id)\" cannot be its own alternative") }
            guard others[alternative] != nil else {
                throw .invalid("alternative \"\(alternative)\" of \"\(service.id)\" is not a registered service")
            }
            guard seen.insert(alternative).inserted else {
                throw .invalid("alternative \"\(alternative)\" of \"\(service.id)\" is listed twice")
            }
        }
        var all = others
        all[service.id] = service
        if let path = cycle(from: service.id, in: all) {
            throw .invalid("alternatives form a cycle: \(path.map(\.rawValue).joined(separator: " -> "))")
        }
    }

    /// A path of alternatives that leads back to an earlier service, if one is reachable from `start`.
    private static func cycle(from start: ServiceID, in services: [ServiceID: ServiceDefinition]) -> [ServiceID]? {
        var finished = Set<ServiceID>()
        func visit(_ id: ServiceID, path: [ServiceID]) -> [ServiceID]? {
            if let index = path.firstIndex(of: id) { return Array(path[index...]) + [id] }
            if finished.contains(id) { return nil }
            for next in services[id]?.alternatives ?? [] {
                if let found = visit(next, path: path + [id]) { return found }
            }
            finished.insert(id)
            return nil
        }
        return visit(start, path: [])
    }
}
