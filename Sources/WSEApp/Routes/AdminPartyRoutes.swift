import Foundation
import Hummingbird
import WSECore

/// `PUT`/`GET /admin/v1/providers`, `PUT`/`GET /admin/v1/retailers` and `GET /admin/v1/audit`
/// (PROTOCOL.md 1.1, "Broker interfaces"). The caller has passed `AdminAuthMiddleware`. Every change is
/// stored with its audit entry and announced, so it is in force on every node (`StoreChangeFollower`).
struct AdminPartyRoutes<Context: RequestContext> {
    let store: any PartyStore
    var now: @Sendable () -> Date = { Date() }

    /// Ids of providers and retailers: as service ids (1 to 64 of `A-Z a-z 0-9 _ - .`, starting with a letter or digit).
    static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, id.unicodeScalars.count <= 64,
            CharacterSet.alphanumerics.contains(first), first.isASCII
        else { return false }
        return id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_-.".unicodeScalars.contains($0)) }
    }

    struct ProviderBody: Decodable { var name: String }
    struct RetailerBody: Decodable {
        var name: String
        var origins: [String]
    }

    /// A provider as answered: the key only when it was just made.
    struct ProviderAnswer: Encodable {
        var id: String
        var name: String
        var key: String?
        var createdAt: Date
    }

    struct RetailerAnswer: Encodable {
        var id: String
        var name: String
        var origins: [String]
        var clientId: String

        init(_ retailer: RetailerAccount) {
            id = retailer.id
            name = retailer.name
            origins = retailer.origins
            clientId = retailer.clientID
        }
    }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("providers") { _, _ in
            let providers = try await store.providers().map { ProviderAnswer(id: $0.id, name: $0.name, key: nil, createdAt: $0.createdAt) }
            return try jsonResponse(["providers": providers], encoder: Self.encoder)
        }
        group.put("providers/:id") { request, context in
            let id = try context.parameters.require("id")
            guard Self.isValidID(id) else { return try Self.invalidID(id) }
            let body: ProviderBody
            switch await JSONRequestBody.decode(ProviderBody.self, from: request, expecting: #"{"name": string}"#) {
            case .success(let value): body = value
            case .failure(let refusal): return refusal.response
            }
            guard !body.name.isEmpty else { return try Self.invalid("the provider's name must not be empty") }
            let existing = try await store.provider(id: id)
            var key: String?
            var provider: ProviderAccount
            if var existing {
                existing.name = body.name
                provider = existing
            } else {
                let newKey = ProviderAccount.makeKey()
                key = newKey
                provider = ProviderAccount(id: id, name: body.name, keyHash: ProviderAccount.hash(key: newKey), createdAt: now())
            }
            try await store.save(provider, audit: AuditEntry(
                at: now(), actor: "admin", action: existing == nil ? "provider.create" : "provider.update", target: id,
                detail: "name \"\(body.name)\""))
            provider.keyHash = ""
            return try jsonResponse(
                ProviderAnswer(id: id, name: provider.name, key: key, createdAt: provider.createdAt),
                status: existing == nil ? .created : .ok, encoder: Self.encoder)
        }
        group.get("retailers") { _, _ in
            try jsonResponse(["retailers": try await store.retailers().map(RetailerAnswer.init)], encoder: Self.encoder)
        }
        group.put("retailers/:id") { request, context in
            let id = try context.parameters.require("id")
            guard Self.isValidID(id) else { return try Self.invalidID(id) }
            let body: RetailerBody
            switch await JSONRequestBody.decode(RetailerBody.self, from: request, expecting: #"{"name": string, "origins": [string]}"#) {
            case .success(let value): body = value
            case .failure(let refusal): return refusal.response
            }
            guard !body.name.isEmpty else { return try Self.invalid("the retailer's name must not be empty") }
            if let bad = body.origins.first(where: { !Self.isOrigin($0) }) {
                return try Self.invalid("\"\(bad)\" is not an origin (scheme://host[:port], no path)")
            }
            let existing = try await store.retailers().first { $0.id == id }
            let retailer = RetailerAccount(
                id: id, name: body.name, origins: body.origins, clientID: existing?.clientID ?? RandomID.make(prefix: "rc_", length: 22))
            try await store.save(retailer, audit: AuditEntry(
                at: now(), actor: "admin", action: existing == nil ? "retailer.create" : "retailer.update", target: id,
                detail: "name \"\(body.name)\", origins \(body.origins.joined(separator: " "))"))
            return try jsonResponse(RetailerAnswer(retailer), status: existing == nil ? .created : .ok, encoder: Self.encoder)
        }
        group.get("audit") { request, _ in
            let limit = request.uri.queryParameters["limit"].flatMap { Int(String($0)) }.map { min(max($0, 1), 1000) } ?? 100
            return try jsonResponse(["entries": try await store.auditEntries(limit: limit)], encoder: Self.encoder)
        }
    }

    /// `scheme://host[:port]`, as a browser sends it in `Origin` (`https://shop.example`; non-browser clients may
    /// send others, such as `ws://127.0.0.1`).
    static func isOrigin(_ text: String) -> Bool {
        guard let url = URL(string: text), url.scheme != nil, let host = url.host, !host.isEmpty else { return false }
        return url.path.isEmpty && url.query == nil && url.fragment == nil && url.user == nil
    }

    /// Dates as RFC 3339.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func invalidID(_ id: String) throws -> Response {
        try HTTPErrorBody(code: "bad_request", message: "\"\(id)\" is not a valid id (1 to 64 of A-Z a-z 0-9 _ - ., starting with a letter or digit)")
            .response(status: .badRequest)
    }

    static func invalid(_ why: String) throws -> Response {
        try HTTPErrorBody(code: "invalid_party", message: why).response(status: .unprocessableContent)
    }
}
