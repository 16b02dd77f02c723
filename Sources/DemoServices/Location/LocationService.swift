import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import WSECore

/// The demo location service, in the style of the OMA/OneAPI Terminal Location REST API.
///
/// - `GET /location/v1/queries/location?address=tel:…&requestedAccuracy=<m>` → `{"terminalLocationList":{"terminalLocation":[…]}}`
/// - `POST /location/v1/subscriptions/periodic` `{"periodicNotificationSubscription":{…}}` → 201 with `resourceURL`
/// - `GET|DELETE /location/v1/subscriptions/periodic/{id}`, `GET /location/v1/subscriptions/periodic`
/// - `PUT|DELETE /location/v1/simulation/{address}`: pins a terminal to a place (test and demo control)
///
/// With `consent`, every query and subscription names its `requester` (the WSE user; OneAPI's `requester`
/// parameter), and an address whose owner has not allowed that requester is answered 403 POL0002.
/// Notifications are timed by `clock` (tests pass one they move by hand). Positions come from `simulator`. Errors are OneAPI `requestError` bodies. See docs/REST-CONNECTOR.md.
public struct LocationService: Sendable {
    public let simulator: LocationSimulator
    let subscriptions: LocationSubscriptions
    /// Whom the terminals' owners allowed; nil: anyone may locate anyone (the bare API, for its own tests).
    let consent: LocationConsent?

    public init(
        simulator: LocationSimulator = LocationSimulator(), consent: LocationConsent? = nil, httpClient: HTTPClient = .shared,
        policy: NotificationPolicy = .init(), clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "wse.demo.location")
    ) {
        self.simulator = simulator
        self.consent = consent
        self.subscriptions = LocationSubscriptions(simulator: simulator, httpClient: httpClient, policy: policy, clock: clock, logger: logger)
    }

    /// Runs the subscriptions' notifications and ends them when the application shuts down. Run it
    /// beside a router that `addRoutes` filled (`makeApplication` does this itself): without it,
    /// subscriptions are accepted but notify nothing.
    public var subscriptionService: any Service { subscriptions }

    /// The subscriptions that are still notifying.
    public func activeSubscriptions() async -> [PeriodicSubscription] { await subscriptions.all }

    /// An application that serves only this API, subscriptions included.
    public func makeApplication(_ options: ListenOptions = .init()) -> some ApplicationProtocol {
        let router = Router()
        addRoutes(to: router)
        return options.application(router: router, serverName: "wse-demo-location", services: [subscriptions])
    }

    /// Adds the routes under `/location/v1` to `router`.
    public func addRoutes(to router: Router<BasicRequestContext>) {
        let api = router.group("/location/v1")
        api.get("queries/location") { request, _ in await respond { try await query(request) } }
        api.post("subscriptions/periodic") { request, _ in await respond { try await subscribe(request) } }
        api.get("subscriptions/periodic") { _, _ in
            Response.json(.ok, ["notificationSubscriptionList": ["periodicNotificationSubscription": .array(await subscriptions.all.map(\.json))]])
        }
        api.get("subscriptions/periodic/:id") { _, context in
            await respond {
                let id = context.parameters.get("id") ?? ""
                guard let subscription = await subscriptions.subscription(id: id) else { throw OneAPIError.unknownSubscription(id) }
                return .json(.ok, subscription.json)
            }
        }
        api.delete("subscriptions/periodic/:id") { _, context in
            await respond {
                let id = context.parameters.get("id") ?? ""
                guard await subscriptions.stop(id: id) else { throw OneAPIError.unknownSubscription(id) }
                return Response(status: .noContent)
            }
        }
        api.put("simulation/:address") { request, context in await respond { try await pin(request, context) } }
        api.delete("simulation/:address") { _, context in
            await respond {
                let address = try Self.addressParameter(context)
                guard await simulator.clearPosition(of: address) else {
                    throw OneAPIError(status: .notFound, messageID: "SVC0004", text: "\(address) has no simulated position", variables: ["address", address])
                }
                return Response(status: .noContent)
            }
        }
    }

    private func respond(_ handler: () async throws -> Response) async -> Response {
        do {
            return try await handler()
        } catch let error as OneAPIError {
            return error.response
        } catch {
            return OneAPIError(status: .internalServerError, messageID: "SVC0001", text: "A service error occurred: \(error)", variables: []).response
        }
    }

    private func query(_ request: Request) async throws -> Response {
        let parameters = request.uri.queryParameters
        let addresses = parameters[values: "address"].map(String.init)
        guard !addresses.isEmpty else { throw OneAPIError.invalidInput("address", "at least one tel: URI is required") }
        guard let accuracy = parameters["requestedAccuracy"].flatMap({ Double($0) }), accuracy > 0 else {
            throw OneAPIError.invalidInput("requestedAccuracy", "a positive number of metres is required")
        }
        try checkConsent(of: parameters["requester"].map(String.init), toLocate: addresses)
        let now = Date()
        var records: [JSONValue] = []
        var unknown: [String] = []
        for address in addresses {
            if let position = await simulator.position(of: address, at: now) {
                records.append(TerminalLocation.retrieved(address, position))
            } else {
                unknown.append(address)
                records.append(TerminalLocation.unknown(address))
            }
        }
        // OneAPI answers per address when some are known; when none is, the request itself fails.
        guard unknown.count < addresses.count else { throw OneAPIError.unknownAddresses(unknown) }
        return .json(.ok, ["terminalLocationList": ["terminalLocation": .array(records)]])
    }

    private func subscribe(_ request: Request) async throws -> Response {
        let id = RandomID.make(prefix: "sub-", length: 16)
        let host = request.head.authority ?? "127.0.0.1"
        let resourceURL = "http://\(host)/location/v1/subscriptions/periodic/\(id)"
        let body = await request.jsonBody()
        let subscription = try PeriodicSubscription(body: body, id: id, resourceURL: resourceURL)
        try checkConsent(of: body?["periodicNotificationSubscription"]?["requester"]?.stringValue, toLocate: [subscription.address])
        guard await simulator.knows(subscription.address) else { throw OneAPIError.unknownAddresses([subscription.address]) }
        guard await subscriptions.start(subscription) else {
            throw OneAPIError(status: .serviceUnavailable, messageID: "SVC0001", text: "A service error occurred: the service is shutting down", variables: [])
        }
        return .json(.created, subscription.json, headers: [.location: resourceURL])
    }

    /// Checked before an address's existence, so that a stranger learns nothing about it.
    private func checkConsent(of requester: String?, toLocate addresses: [String]) throws(OneAPIError) {
        guard let consent else { return }
        if let refused = addresses.first(where: { !consent.allows(requester, toLocate: $0) }) { throw .privacyDenied(refused) }
    }

    private func pin(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let address = try Self.addressParameter(context)
        guard let body = await request.jsonBody() else { throw OneAPIError.invalidInput("body", "not a JSON object") }
        guard let latitude = body["latitude"]?.doubleValue, (-90...90).contains(latitude) else {
            throw OneAPIError.invalidInput("latitude", "degrees between -90 and 90 are required")
        }
        guard let longitude = body["longitude"]?.doubleValue, (-180...180).contains(longitude) else {
            throw OneAPIError.invalidInput("longitude", "degrees between -180 and 180 are required")
        }
        var accuracy = LocationSimulator.defaultAccuracy
        if let given = body["accuracy"], !given.isNull {
            guard let metres = given.doubleValue, metres > 0 else { throw OneAPIError.invalidInput("accuracy", "a positive number of metres is required") }
            accuracy = metres
        }
        await simulator.setPosition(of: address, latitude: latitude, longitude: longitude, accuracy: accuracy)
        let position = await simulator.position(of: address)
        return .json(.ok, ["terminalLocation": position.map { TerminalLocation.retrieved(address, $0) } ?? .null])
    }

    /// The `{address}` path segment, percent-decoded (`tel%3A%2B1555…` → `tel:+1555…`).
    private static func addressParameter(_ context: BasicRequestContext) throws(OneAPIError) -> String {
        guard let raw = context.parameters.get("address"), let address = raw.removingPercentEncoding, address.hasPrefix("tel:") else {
            throw OneAPIError.invalidInput("address", "a tel: URI is required")
        }
        return address
    }
}
