/// Decides which retailer an upgrade request comes from, by its `Origin` header.
struct OriginPolicy: Sendable {
    enum Decision: Sendable, Equatable {
        /// Allowed; the retailer's id, or nil for an allowed request without Origin.
        case allowed(retailer: String?)
        case refused
    }

    private let retailerByOrigin: [String: String]
    private let retailerByClient: [String: String]
    private let wildcardRetailer: String?
    private let allowMissingOrigin: Bool

    init(retailers: [ConnectionManagerConfiguration.Retailer], allowMissingOrigin: Bool) {
        var byOrigin: [String: String] = [:]
        var wildcard: String?
        var byClient: [String: String] = [:]
        for retailer in retailers {
            if let client = retailer.clientID { byClient[client] = retailer.id }
            for origin in retailer.origins {
                if origin == "*" {
                    wildcard = wildcard ?? retailer.id
                } else {
                    byOrigin[Self.normalize(origin)] = byOrigin[Self.normalize(origin)] ?? retailer.id
                }
            }
        }
        self.retailerByOrigin = byOrigin
        self.retailerByClient = byClient
        self.wildcardRetailer = wildcard
        self.allowMissingOrigin = allowMissingOrigin
    }

    func decide(origin: String?) -> Decision {
        guard let origin, !origin.isEmpty else { return allowMissingOrigin ? .allowed(retailer: nil) : .refused }
        if let retailer = retailerByOrigin[Self.normalize(origin)] { return .allowed(retailer: retailer) }
        if let wildcardRetailer { return .allowed(retailer: wildcardRetailer) }
        return .refused
    }

    /// The retailer a session acts for (`Principal.retailer`, which access rules match): the one whose client id
    /// the token carries as `azp`, unless the page's origin belongs to another retailer (the Origin check stays
    /// a second gate). A token without `azp` acts for the origin's retailer only when that retailer has no
    /// client id (configured without one), since anyone outside a browser can send any `Origin`.
    func retailer(authorizedParty: String?, origin: Decision) -> String? {
        guard case .allowed(let originRetailer) = origin else { return nil }
        if let authorizedParty {
            guard let bound = retailerByClient[authorizedParty] else { return nil }
            return originRetailer == nil || originRetailer == bound ? bound : nil
        }
        guard let originRetailer, !retailerByClient.values.contains(originRetailer) else { return nil }
        return originRetailer
    }

    /// Scheme and host are case-insensitive (RFC 6454); a trailing slash is not part of an origin.
    private static func normalize(_ origin: String) -> String {
        var text = origin.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
