import Foundation
import Hummingbird
import Mediator
import WSECore

/// `GET /catalogue/v1/services` (PROTOCOL.md 1.1; docs/CATALOGUE.md): the services the caller may use, with
/// what each says of itself. The caller is named by `Authorization: Bearer …`:
///
/// | bearer | sees |
/// | --- | --- |
/// | the admin token | every service |
/// | a subscriber's access token | the services whose access rule admits it (its retailer taken from `azp`) |
/// | a retailer's client id (`rc_…`) | the services whose access rule admits that retailer's pages (`retailers` empty or naming it) |
struct CatalogueRoutes<Context: RequestContext> {
    let registry: ServiceRegistry
    let tokens: any TokenVerifying
    let retailers: any PartyStore
    let adminToken: String

    /// One service as the catalogue lists it.
    struct Entry: Encodable {
        var id: String
        var title: String
        var description: String
        var kind: String
        var provider: String?
        var terms: String?
        var actions: [ActionDescription]

        init(_ service: ServiceDefinition) {
            id = service.id.rawValue
            title = service.catalogue?.title ?? service.id.rawValue
            description = service.catalogue?.description ?? ""
            kind = service.kind.rawValue
            provider = service.provider
            terms = service.catalogue?.terms
            actions = service.catalogue?.actions ?? []
        }
    }

    /// Who asks, as far as the catalogue is concerned.
    enum Caller {
        case admin
        case subscriber(Principal)
        case retailer(String)
    }

    func addRoutes(to router: Router<Context>) {
        router.get("/catalogue/v1/services") { request, _ in
            guard let caller = try await caller(of: request) else {
                return try HTTPErrorBody(
                    code: "unauthorized",
                    message: "give \"Authorization: Bearer …\" with a subscriber's token, a retailer's client id or the admin token"
                ).response(status: .unauthorized)
            }
            let services = await registry.list().filter { Self.may(caller, use: $0) }.map(Entry.init)
            return try jsonResponse(["services": services], encoder: Self.encoder)
        }
        router.get("/catalogue/v1/services/:id") { request, context in
            guard let caller = try await caller(of: request) else {
                return try HTTPErrorBody(code: "unauthorized", message: "give \"Authorization: Bearer …\" (see GET /catalogue/v1/services)")
                    .response(status: .unauthorized)
            }
            let id = ServiceID(try context.parameters.require("id"))
            guard let service = await registry.get(id) else {
                return try HTTPErrorBody(code: "not_found", message: "no service named \"\(id)\"").response(status: .notFound)
            }
            guard Self.may(caller, use: service) else {
                return try HTTPErrorBody(code: "forbidden", message: "service \"\(id)\" is not one this caller may use (its access rule does not admit it)")
                    .response(status: .forbidden)
            }
            return try jsonResponse(Entry(service), encoder: Self.encoder)
        }
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    func caller(of request: Request) async throws -> Caller? {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return nil }
        let bearer = String(header.dropFirst(7))
        if ConstantTime.equal(bearer[...], adminToken) { return .admin }
        if bearer.hasPrefix("rc_") {
            return try await retailers.retailer(clientID: bearer).map { .retailer($0.id) }
        }
        do {
            var principal = try await tokens.verify(token: bearer)
            if let client = principal.authorizedParty { principal.retailer = try await retailers.retailer(clientID: client)?.id }
            return .subscriber(principal)
        } catch {
            return nil
        }
    }

    static func may(_ caller: Caller, use service: ServiceDefinition) -> Bool {
        switch caller {
        case .admin: true
        case .subscriber(let principal): service.access.admits(principal)
        case .retailer(let id): service.access.retailers.isEmpty || service.access.retailers.contains(id)
        }
    }
}
