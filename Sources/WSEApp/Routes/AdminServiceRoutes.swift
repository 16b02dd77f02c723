import Foundation
import Hummingbird
import Mediator
import WSECore

/// One entry of `GET /admin/v1/services`: the definition (its connector key hidden) and its live state.
struct AdminServiceEntry: ResponseEncodable {
    var service: ServiceDefinition
    var status: ServiceStatus?

    init(service: ServiceDefinition, status: ServiceStatus?) {
        var shown = service
        if shown.connectorKey != nil { shown.connectorKey = "(hidden)" }
        self.service = shown
        self.status = status
    }
}

struct AdminServiceList: ResponseEncodable {
    var services: [AdminServiceEntry]
}

/// The service registry over HTTP (PROTOCOL.md: `/admin/v1/services`). The caller has passed
/// `AdminAuthMiddleware`. Errors: 400 unreadable body, 404 unknown id, 409 in use, 413 body too large, 422 invalid.
struct AdminServiceRoutes<Context: RequestContext> {
    let registry: ServiceRegistry
    /// Where each change is recorded (`GET /admin/v1/audit`); nil: not audited.
    var audit: (any PartyStore)?

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("services") { _, _ in
            var entries: [AdminServiceEntry] = []
            for service in await registry.list() {
                entries.append(AdminServiceEntry(service: service, status: await registry.status(of: service.id)))
            }
            return AdminServiceList(services: entries)
        }
        group.get("services/:id") { _, context in
            let id = ServiceID(try context.parameters.require("id"))
            guard let service = await registry.get(id) else {
                return try HTTPErrorBody(code: "not_found", message: "no service named \"\(id)\"").response(status: .notFound)
            }
            return try jsonResponse(AdminServiceEntry(service: service, status: await registry.status(of: id)))
        }
        group.put("services/:id") { request, context in
            let id = ServiceID(try context.parameters.require("id"))
            let service: ServiceDefinition
            switch await Self.readService(from: request, id: id) {
            case .success(let read): service = read
            case .failure(let refusal): return refusal.response
            }
            let created: Bool
            do throws(RegistryError) {
                created = try await registry.put(service)
            } catch {
                return try Self.response(for: error)
            }
            try await audit?.record(AuditEntry(
                at: Date(), actor: "admin", action: "service.put", target: id.rawValue,
                detail: "\(service.kind.rawValue) service\(service.provider.map { ", provider \($0)" } ?? "")"))
            return try jsonResponse(
                AdminServiceEntry(service: service, status: await registry.status(of: id)), status: created ? .created : .ok)
        }
        group.delete("services/:id") { _, context in
            let id = ServiceID(try context.parameters.require("id"))
            do throws(RegistryError) {
                try await registry.delete(id)
            } catch {
                return try Self.response(for: error)
            }
            try await audit?.record(AuditEntry(at: Date(), actor: "admin", action: "service.delete", target: id.rawValue, detail: ""))
            return Response(status: .noContent)
        }
    }

    /// The service definition in `request`'s body, whose id must be `id`.
    static func readService(from request: Request, id: ServiceID) async -> Result<ServiceDefinition, JSONRequestBody.Refusal> {
        switch await JSONRequestBody.decode(ServiceDefinition.self, from: request, expecting: "a service definition (JSON)") {
        case .success(let service) where service.id != id:
            .failure(JSONRequestBody.refusal(.badRequest, "bad_request", "the body's id \"\(service.id)\" differs from the path's \"\(id)\""))
        case let read: read
        }
    }

    static func response(for error: RegistryError) throws -> Response {
        switch error {
        case .invalid(let why): try HTTPErrorBody(code: "invalid_service", message: why).response(status: .unprocessableContent)
        case .notFound: try HTTPErrorBody(code: "not_found", message: error.description).response(status: .notFound)
        case .inUse(let why): try HTTPErrorBody(code: "in_use", message: why).response(status: .conflict)
        case .store(let why): try HTTPErrorBody(code: "store_failed", message: why).response(status: .internalServerError)
        case .notOwned: try HTTPErrorBody(code: "forbidden", message: error.description).response(status: .forbidden)
        }
    }
}
