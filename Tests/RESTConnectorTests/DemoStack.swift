import DemoServices
import RESTConnector
import Testing
import WSETesting
import WSECore

/// The demo services, a fake WSE connector IN and a REST connector configured with the
/// repository's example configuration, all on loopback, for the duration of one test.
struct DemoStack {
    static let key = "test-key"

    var connectorURL: String
    var callbackURL: String
    var locationURL: String
    var location: LocationService
    /// The location service's clock: its notifications come when the test moves it.
    var clock: ManualClock
    var connector: RESTConnector
    /// Stands in for WSE's connector IN.
    var connectorIn: RecordingReceiver

    static func run<Result: Sendable>(
        configure: @escaping (inout RESTConnectorConfiguration) -> Void = { _ in },
        _ body: (DemoStack) async throws -> Result
    ) async throws -> Result {
        let clock = ManualClock()
        let location = LocationService(clock: clock)
        let receiver = RecordingReceiver()
        let contactsSignal = PortSignal()
        let locationSignal = PortSignal()
        let receiverSignal = PortSignal()
        return try await serve(ContactsService().makeApplication(.init(onRunning: contactsSignal.onRunning)), contactsSignal) { contactsPort in
            try await serve(location.makeApplication(.init(onRunning: locationSignal.onRunning)), locationSignal) { locationPort in
                try await serve(receiver.makeApplication(receiverSignal), receiverSignal) { receiverPort in
                    var configuration = try ConfigurationTests.example(key: key)
                    configuration.port = 0
                    configuration.services["contacts"]?.baseURL = "http://127.0.0.1:\(contactsPort)"
                    configuration.services["location"]?.baseURL = "http://127.0.0.1:\(locationPort)"
                    configure(&configuration)
                    let connector = RESTConnector(configuration: configuration)
                    let connectorSignal = PortSignal()
                    return try await serve(connector.makeApplication(onRunning: connectorSignal.onRunning), connectorSignal) { connectorPort in
                        try await body(
                            DemoStack(
                                connectorURL: "http://127.0.0.1:\(connectorPort)",
                                callbackURL: "http://127.0.0.1:\(receiverPort)/connector/in/v1/events",
                                locationURL: "http://127.0.0.1:\(locationPort)",
                                location: location, clock: clock, connector: connector, connectorIn: receiver))
                    }
                }
            }
        }
    }

    /// Moves the location service's clock one `period` on once its subscription sleeps, and waits
    /// until connector IN got `count` deliveries in all (over loopback HTTP).
    func tick(by period: Duration, expecting count: Int) async throws {
        try await clock.sleepers(reach: 1)
        #expect(await connectorIn.deliveries.count == count - 1, "nothing is sent between periods")
        clock.advance(by: period)
        try await eventually("delivery \(count) at connector IN") { await connectorIn.deliveries.count >= count }
    }

    /// A connector OUT call, as WSE makes it.
    func call(
        _ service: String, _ action: String, data: JSONValue = [:], pid: String = RandomID.make(prefix: "p-"), user: String = "alice",
        key: String = DemoStack.key
    ) async throws -> HTTPResult {
        let body: JSONValue = [
            "pid": .string(pid), "service": .string(service), "action": .string(action), "user": .string(user), "data": data,
            "callback": .string(callbackURL),
        ]
        return try await http(.POST, connectorURL + "/v1/requests", json: body, headers: [("Authorization", "Bearer \(key)")])
    }
}
