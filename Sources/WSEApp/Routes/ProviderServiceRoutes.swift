import Foundation
import Hummingbird
import Mediator
import WSECore

/// `/provider/v1`: a provider on board manages its own services with its own key (PROTOCOL.md 1.1).
///
/// | route | answer |
/// | --- | --- |
/// | `GET /provider/v1/services` | 200 `{"services":[…]}`: its own services (connector keys hidden) |
/// | `PUT /provider/v1/services/{id}` | the body of `PUT /admin/v1/services/{id}`; 201/200; the service is marked as the provider's |
/// | `DELETE /provider/v1/services/{id}` | 204 |
/// | `GET /provider/v1/usage` | the usage records of its own services, with the filters of `GET /admin/v1/usage` |
///
/// A missing or unknown key is 401 `unauthorized`; a service that exists and is not the provider's
/// (another provider's, or the operator's own) is 403 `forbidden`. Every change is audited as `provider:<id>`.
struct ProviderServiceRoutes<Context: RequestContext> {
    let registry: ServiceRegistry
    let store: any PartyStore
    let usage: UsageRoutes
    var now: @Sendable () -> Date = { Date() }

    func addRoutes(to router: Router<Context>) {
        let group = router.group("/provider/v1").add(middleware: StoreFailureMiddleware())
        group.get("services") { request, _ in
            guard let provider = try await authenticate(request) else { return try Self.unauthorized() }
            let own = await registry.list().filter { $0.provider == provider.id }
            var entries: [AdminServiceEntry] = []
            for service in own { entries.append(AdminServiceEntry(service: service, status: await registry.status(of: service.id))) }
            return try jsonResponse(AdminServiceList(services: entries))
        }
        group.get("usage") { request, _ in
            guard let provider = try await authenticate(request) else { return try Self.unauthorized() }
            return try await usage.answer(request, provider: provider.id)
        }
        group.put("services/:id") { request, context in
            guard let provider = try await authenticate(request) else { return try Self.unauthorized() }
            let id = ServiceID(try context.parameters.require("id"))
            // Refused early, before the body is read, for a service this node knows to be another's.
            if let refusal = try await refuseUnlessOwn(id, by: provider) { return refusal }
            var service: ServiceDefinition
            switch await AdminServiceRoutes<Context>.readService(from: request, id: id) {
            case .success(let read): service = read
            case .failure(let refusal): return refusal.response
            }
            service.provider = provider.id
            let created: Bool
            do throws(RegistryError) {
                // The ownership is checked again with the write, atomically, in the registry and in the store.
                created = try await registry.put(service, ownedBy: provider.id)
            } catch {
                return try AdminServiceRoutes<Context>.response(for: error)
            }
            try await store.record(AuditEntry(
                at: now(), actor: "provider:\(provider.id)", action: "service.put", target: id.rawValue,
                detail: "\(service.kind.rawValue) service, endpoint \(service.endpoint ?? "-")"))
            return try jsonResponse(
                AdminServiceEntry(service: service, status: await registry.status(of: id)), status: created ? .created : .ok)
        }
        group.delete("services/:id") { request, context in
            guard let provider = try await authenticate(request) else { return try Self.unauthorized() }
            let id = ServiceID(try context.parameters.require("id"))
            if let refusal = try await refuseUnlessOwn(id, by: provider) { return refusal }
            do throws(RegistryError) {
                try await registry.delete(id)
            } catch {
                return try AdminServiceRoutes<Context>.response(for: error)
            }
            try await store.record(AuditEntry(at: now(), actor: "provider:\(provider.id)", action: "service.delete", target: id.rawValue, detail: ""))
            return Response(status: .noContent)
        }
    }

    /// The provider whose key the request carries as `Authorization: Bearer <key>`.
    func authenticate(_ request: Request) async throws -> ProviderAccount? {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return nil }
        // The stored value is a hash, looked up by equality: a timing difference tells nothing about the key.
        return try await store.provider(keyHash: ProviderAccount.hash(key: String(header.dropFirst(7))))
    }

    /// 403 when `id` is a service that `provider` does not own; nil when it is its own or does not exist yet.
    private func refuseUnlessOwn(_ id: ServiceID, by provider: ProviderAccount) async throws -> Response? {
        guard let existing = await registry.get(id), existing.provider != provider.id else { return nil }
        return try AdminServiceRoutes<Context>.response(for: .notOwned(id))
    }

    static func unauthorized() throws -> Response {
        try HTTPErrorBody(code: "unauthorized", message: "a provider key is required as \"Authorization: Bearer <key>\"")
            .response(status: .unauthorized)
    }
}
