import Hummingbird
import WSECore

/// The demo contacts service: a small REST API shaped like the contact APIs of real
/// address-book providers (Microsoft Graph's `/me/contacts` style), read-only.
///
/// - `GET /contacts/v1/users/{user}/contacts` → `{"value":[contact…]}`
/// - `GET /contacts/v1/users/{user}/contacts/{id}` → one contact
///
/// A contact is `{"id","displayName","imAddresses":["sip:…"],"mobilePhone":"tel:…"}`.
/// Each seeded subscriber has every other one as a contact. Errors are
/// `{"error":{"code","message"}}` with 404 for an unknown user or contact.
public struct ContactsService: Sendable {
    public let sipDomain: String
    public let subscribers: [DemoSubscriber]

    public init(sipDomain: String = DemoSubscriber.defaultSIPDomain, subscribers: [DemoSubscriber] = DemoSubscriber.seed) {
        self.sipDomain = sipDomain
        self.subscribers = subscribers
    }

    /// The contacts of `user`, as the API shows them; nil for an unknown user.
    public func contacts(of user: String) -> [JSONValue]? {
        guard subscribers.contains(where: { $0.user == user }) else { return nil }
        return subscribers.filter { $0.user != user }.map(contact)
    }

    private func contact(_ subscriber: DemoSubscriber) -> JSONValue {
        [
            "id": .string(subscriber.user),
            "displayName": .string(subscriber.name),
            "imAddresses": [.string(subscriber.sipURI(domain: sipDomain))],
            "mobilePhone": .string(subscriber.address),
        ]
    }

    /// Adds the routes under `/contacts/v1` to `router`.
    public func addRoutes(to router: Router<BasicRequestContext>) {
        let contactsRoute = "/contacts/v1/users/:user/contacts"
        router.get(RouterPath(contactsRoute)) { _, context -> Response in
            let user = context.parameters.get("user") ?? ""
            guard let list = contacts(of: user) else { return Self.unknownUser(user) }
            return .json(.ok, ["value": .array(list)])
        }
        router.get(RouterPath(contactsRoute + "/:id")) { _, context -> Response in
            let user = context.parameters.get("user") ?? ""
            let id = context.parameters.get("id") ?? ""
            guard let list = contacts(of: user) else { return Self.unknownUser(user) }
            guard let found = list.first(where: { $0["id"]?.stringValue == id }) else {
                return Self.error(.notFound, "contact_not_found", "user \(user) has no contact \(id)")
            }
            return .json(.ok, found)
        }
    }

    /// An application that serves only this API.
    public func makeApplication(_ options: ListenOptions = .init()) -> some ApplicationProtocol {
        let router = Router()
        addRoutes(to: router)
        return options.application(router: router, serverName: "wse-demo-contacts")
    }

    private static func unknownUser(_ user: String) -> Response {
        error(.notFound, "user_not_found", "no user \(user) in the contacts service")
    }

    private static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        .json(status, ["error": ["code": .string(code), "message": .string(message)]])
    }
}
