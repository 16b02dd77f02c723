/// Decides which retailer an upgrade request comes from, by its `Origin` header.
struct OriginPolicy: Sendable {
    enum Decision: Sendable, Equatable {
        /// Allowed; the retailer's id, or nil for an allowed request without Origin.
        case allowed(retailer: String?)
        case refused
    }

    private let retailerByOrigin: [String: String]
    private let wildcardRetailer: String?
    private let allowMissingOrigin: Bool

    init(retailers: [ConnectionManagerConfiguration.Retailer], allowMissingOrigin: Bool) {
        var byOrigin: [String: String] = [:]
        var wildcard: String?
        for retailer in retailers {
            for origin in retailer.origins {
                if origin == "*" {
                    wildcard = wildcard ?? retailer.id
                } else {
                    byOrigin[Self.normalize(origin)] = byOrigin[Self.normalize(origin)] ?? retailer.id
                }
            }
        }
        self.retailerByOrigin = byOrigin
        self.wildcardRetailer = wildcard
        self.allowMissingOrigin = allowMissingOrigin
    }

    func decide(origin: String?) -> Decision {
        guard let origin, !origin.isEmpty else { return allowMissingOrigin ? .allowed(retailer: nil) : .refused }
        if let retailer = retailerByOrigin[Self.normalize(origin)] { return .allowed(retailer: retailer) }
        if let wildcardRetailer { return .allowed(retailer: wildcardRetailer) }
        return .refused
    }

    /// Scheme and host are case-insensitive (RFC 6454); a trailing slash is not part of an origin.
    private static func normalize(_ origin: String) -> String {
        var text = origin.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
