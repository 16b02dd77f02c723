import Foundation
import Hummingbird
import Mediator
import WSECore

/// `/admin/v1/subscribers` (docs/PROTOCOL-EXTENSIONS.md) behind the admin token, and the IMS connector's lookup
/// `GET /connector/v1/subscribers/{user}/sip` behind a connector key of one of the operator's own services.
struct AdminSubscriberRoutes<Context: RequestContext> {
    let administrator: SubscriberAdministrator
    let store: any SubscriberAdministration
    let connectors: any ConnectorInbound
    let registry: ServiceRegistry
    /// Where each change is recorded (`GET /admin/v1/audit`); never a password or an HA1.
    let audit: any PartyStore

    struct NewSubscriber: Decodable {
        var username: String
        var password: String
        var roles: [String]?
        var sip: SubscriberAdministrator.SIPIdentity?
    }

    struct Change: Decodable {
        var password: String?
        var sip: SubscriberAdministrator.SIPIdentity?
    }

    /// What the IMS connector needs to answer digest challenges for a user.
    struct SIPCredentials: Encodable {
        var uri: String
        var authUser: String
        var realm: String
        var ha1: String
    }

    func addRoutes(admin group: RouterGroup<Context>, router: Router<Context>) {
        group.get("subscribers") { _, _ in
            let subscribers: [SubscriberSummary]
            do throws(SubscriberAdministrator.Failure) {
                subscribers = try await administrator.list()
            } catch {
                return try Self.response(for: error)
            }
            return try jsonResponse(["subscribers": subscribers])
        }
        group.get("subscribers/:name") { _, context in
            let name = try context.parameters.require("name")
            guard let subscriber = try await store.subscriber(named: name) else {
                return try Self.response(for: .notFound(name))
            }
            return try jsonResponse(SubscriberSummary(subscriber))
        }
        group.post("subscribers") { request, _ in
            let body: NewSubscriber
            switch await JSONRequestBody.decode(
                NewSubscriber.self, from: request,
                expecting: #"{"username","password","roles"?,"sip"?:{"uri","authUser"?,"realm"?,"password"}}"#)
            {
            case .success(let value): body = value
            case .failure(let refusal): return refusal.response
            }
            do throws(SubscriberAdministrator.Failure) {
                try await administrator.add(username: body.username, password: body.password, roles: body.roles ?? ["subscriber"], sip: body.sip)
            } catch {
                return try Self.response(for: error)
            }
            try await audit.record(AuditEntry(
                at: Date(), actor: "admin", action: "subscriber.create", target: body.username, detail: body.sip.map { "SIP \($0.uri)" } ?? ""))
            guard let created = try await store.subscriber(named: body.username) else { return Response(status: .created) }
            return try jsonResponse(SubscriberSummary(created), status: .created)
        }
        group.patch("subscribers/:name") { request, context in
            let name = try context.parameters.require("name")
            let body: Change
            switch await JSONRequestBody.decode(Change.self, from: request, expecting: #"{"password"?, "sip"?:{…}}"#) {
            case .success(let value): body = value
            case .failure(let refusal): return refusal.response
            }
            do throws(SubscriberAdministrator.Failure) {
                try await administrator.change(username: name, password: body.password, sip: body.sip)
            } catch {
                return try Self.response(for: error)
            }
            let changed = [body.password.map { _ in "password" }, body.sip.map { "SIP \($0.uri)" }].compactMap { $0 }
            try await audit.record(AuditEntry(at: Date(), actor: "admin", action: "subscriber.update", target: name, detail: changed.joined(separator: ", ")))
            return Response(status: .noContent)
        }
        group.delete("subscribers/:name") { _, context in
            let name = try context.parameters.require("name")
            do throws(SubscriberAdministrator.Failure) {
                try await administrator.remove(username: name)
            } catch {
                return try Self.response(for: error)
            }
            try await audit.record(AuditEntry(at: Date(), actor: "admin", action: "subscriber.delete", target: name, detail: ""))
            return Response(status: .noContent)
        }
        router.get("/connector/v1/subscribers/:name/sip") { request, context in
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
                let connector = await connectors.connector(forKey: String(header.dropFirst(7)))
            else {
                return try HTTPErrorBody(code: "unauthorized", message: "a connector key is required as \"Authorization: Bearer <key>\"")
                    .response(status: .unauthorized)
            }
            // An HA1 opens the subscriber's SIP account: only connectors of the operator's own services get it.
            for id in connector.services where await registry.get(id)?.provider != nil {
                return try HTTPErrorBody(code: "forbidden", message: "a provider's connector cannot read SIP credentials")
                    .response(status: .forbidden)
            }
            let name = try context.parameters.require("name")
            guard let subscriber = try await store.subscriber(named: name), let uri = subscriber.sipURI,
                let authUser = subscriber.sipAuthUser, let realm = subscriber.sipRealm, let ha1 = subscriber.sipHA1
            else {
                return try HTTPErrorBody(code: "not_found", message: "\"\(name)\" has no SIP identity").response(status: .notFound)
            }
            var response = try jsonResponse(SIPCredentials(uri: uri, authUser: authUser, realm: realm, ha1: ha1))
            response.headers[.cacheControl] = "no-store"
            return response
        }
    }

    static func response(for failure: SubscriberAdministrator.Failure) throws -> Response {
        switch failure {
        case .invalid(let why): try HTTPErrorBody(code: "invalid_subscriber", message: why).response(status: .unprocessableContent)
        case .duplicate: try HTTPErrorBody(code: "duplicate_subscriber", message: failure.description).response(status: .conflict)
        case .notFound: try HTTPErrorBody(code: "not_found", message: failure.description).response(status: .notFound)
        case .store: try HTTPErrorBody(code: "store_failed", message: failure.description).response(status: .internalServerError)
        }
    }
}
