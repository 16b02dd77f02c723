import DemoServices
import Foundation
import SOAPConnector
import Testing
import WSECore
import WSETesting

/// The demo's Parlay X SMS server (spyne, a child process) and a SOAP connector configured
/// with the demo's configuration, on loopback, for the duration of one test. Without python3,
/// spyne or lxml the test fails with what to install (scripts/install-test-deps.sh).
struct SMSStack {
    static let key = "soap-test-key"
    static let password = "s3cret-pass"

    /// The demo's configuration, which docs/SOAP-CONNECTOR.md presents as the example.
    static var configurationPath: String {
        repository.appendingPathComponent("Sources/Demo/DemoResources/soap-connector.yaml").path
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    var server: ParlayXSMSServer
    var connectorURL: String

    static func environment(wsdl: String, password: String = SMSStack.password) -> [String: String] {
        ["WSE_SOAP_CONNECTOR_KEY": key, "WSE_SMS_WSDL": wsdl, "WSE_SMS_PASSWORD": password]
    }

    /// Runs `body` with a started server, stopped (by its pid) afterwards whatever happens.
    static func withServer<Result: Sendable>(
        soap: String = "1.1", password: String = SMSStack.password, _ body: (ParlayXSMSServer) async throws -> Result
    ) async throws -> Result {
        let server = try await ParlayXSMSServer.start(soap: soap, credentials: ("wse", password))
        let result: Swift.Result<Result, any Error>
        do {
            result = .success(try await body(server))
        } catch {
            result = .failure(error)
        }
        await server.stop()
        return try result.get()
    }

    static func run<Result: Sendable>(
        soap: String = "1.1", connectorPassword: String = SMSStack.password,
        configure: @escaping (inout SOAPConnectorConfiguration) -> Void = { _ in },
        _ body: (SMSStack) async throws -> Result
    ) async throws -> Result {
        try await withServer(soap: soap) { server in
            var configuration = try await SOAPConnectorConfiguration.load(
                file: configurationPath, environment: environment(wsdl: server.wsdlURL, password: connectorPassword))
            configuration.port = 0
            configure(&configuration)
            let signal = PortSignal()
            return try await serve(SOAPConnector(configuration: configuration).makeApplication(onRunning: signal.onRunning), signal) { port in
                try await body(SMSStack(server: server, connectorURL: "http://127.0.0.1:\(port)"))
            }
        }
    }

    /// A connector OUT call, as WSE makes it.
    func call(_ action: String, data: JSONValue, service: String = "sms", key: String = SMSStack.key) async throws -> HTTPResult {
        let body: JSONValue = [
            "pid": .string(RandomID.make(prefix: "p-")), "service": .string(service), "action": .string(action), "user": "alice", "data": data,
            "callback": "http://127.0.0.1:1/connector/in/v1/events",
        ]
        return try await http(.POST, connectorURL + "/v1/requests", json: body, headers: [("Authorization", "Bearer \(key)")])
    }
}

extension HTTPResult {
    var errorCode: String? { json?["error"]?["code"]?.stringValue }
    var errorMessage: String { json?["error"]?["message"]?.stringValue ?? "" }
}
