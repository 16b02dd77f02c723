import Foundation
import RESTConnector
import Testing
import WSETesting

@Suite("REST connector configuration")
struct ConfigurationTests {
    /// The example configuration in the repository (config/rest-connector.example.yaml).
    static var examplePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/rest-connector.example.yaml").path
    }

    static func example(key: String = "test-key") throws -> RESTConnectorConfiguration {
        try RESTConnectorConfiguration.load(file: examplePath, environment: ["WSE_REST_CONNECTOR_KEY": key])
    }

    @Test("the example configuration maps the demo services")
    func example() throws {
        let configuration = try Self.example()
        #expect(configuration.key == "test-key")
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 18090)
        #expect(configuration.services.keys.sorted() == ["contacts", "location"])
        #expect(configuration.services["location"]?.baseURL == "http://127.0.0.1:18102")
        #expect(configuration.services["contacts"]?.timeout == 5)
    }

    /// Parses `yaml` and returns the error it must produce.
    static func failure(_ yaml: String, environment: [String: String] = [:]) -> ConfigurationError? {
        do {
            _ = try RESTConnectorConfiguration.parse(yaml: yaml, file: "test.yaml", environment: environment)
            return nil
        } catch {
            return error
        }
    }

    static let valid = """
        key: k
        services:
          contacts:
            base_url: http://127.0.0.1:1
            actions:
              list:
                url: /contacts/{user}
        """

    @Test("a minimal configuration parses")
    func minimal() throws {
        let configuration = try RESTConnectorConfiguration.parse(yaml: Self.valid)
        #expect(configuration.port == 0)
        #expect(configuration.services["contacts"]?.timeout == 10)
    }

    @Test(
        "errors name the file, the line and what is wrong",
        arguments: [
            // (yaml, line, part of the message)
            ("key: k\nservices:\n  contacts: [unclosed\n", 4, "YAML syntax"),
            ("key: k\nlisten:\n  hots: x\nservices: {}\n", 3, #"unknown key "hots""#),
            ("key: k\nservices: {}\n", 2, "services is empty"),
            ("services:\n  a:\n    base_url: http://h\n    actions:\n      x:\n        url: /x\n", 1, "key_env"),
            ("key: k\nkey_env: X\nservices: {}\n", 1, "either key or key_env"),
            ("key: k\nlisten:\n  port: 70000\nservices: {}\n", 3, "listen.port"),
            ("key: k\nservices:\n  a:\n    base_url: not-a-url\n    actions: {}\n", 4, "absolute http(s) URL"),
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    actions:\n      x:\n        method: FETCH\n        url: /x\n", 7, "method must be one of"),
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    actions:\n      x:\n        method: GET\n", 7, #"needs "url""#),
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    actions:\n      x:\n        url: /x/{secret}\n", 7, "unknown placeholder {secret}"),
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    actions:\n      x:\n        url: /x/{notify_url}\n", 7, "{notify_url} cannot be used here"),
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    actions:\n      x:\n        url: /x/{data.a\n", 7, "unclosed"),
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    actions:\n      x:\n        url: /x\n        response:\n          name: displayName\n", 9, "not a JSON pointer"),
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    actions:\n      x:\n        url: /x\n        response:\n          each: /v\n", 9, "exactly two keys"),
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    timeout: -1\n    actions: {}\n", 5, "timeout"),
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    actions:\n      x:\n        url: /x\n        subscription:\n          resource: nowhere\n", 9, "resource must be"),
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    actions:\n      x:\n        url: /x\n        respnse: /a\n", 8, #"unknown key "respnse""#),
            ("key: k\nkey: j\nservices: {}\n", 1, "duplicate key"),
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    headers:\n      X-Token: \"{env.NOPE}\"\n    actions: {}\n", 6, "NOPE is not set"),
            // The origin of every upstream call is base_url's: a URL is a path under it, never a placeholder's choice.
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    actions:\n      x:\n        url: \"{data.url}\"\n", 7, "path under base_url"),
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    actions:\n      x:\n        url: http://{data.host}/x\n", 7, "path under base_url"),
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    actions:\n      x:\n        url: https://elsewhere.example/x\n", 7, "path under base_url"),
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    actions:\n      x:\n        url: \"{user}/x\"\n", 7, "path under base_url"),
            ("key: k\nservices:\n  a:\n    base_url: http://h\n    actions:\n      x:\n        url: /x\n        subscription:\n          resource: /r\n          cancel: {url: \"{data.url}\"}\n          notification: \"\"\n", 10, "path under base_url"),
        ] as [(String, Int, String)]
    )
    func errors(yaml: String, line: Int, message: String) {
        let error = Self.failure(yaml)
        #expect(error?.file == "test.yaml")
        #expect(error?.line == line, "\(error?.description ?? "no error")")
        #expect(error?.message.contains(message) == true, "\(error?.description ?? "no error")")
    }

    @Test("key_env must name a set variable; env placeholders are filled at load")
    func environment() throws {
        let yaml = """
            key_env: THE_KEY
            services:
              a:
                base_url: http://127.0.0.1:1
                headers:
                  Authorization: "Bearer {env.UPSTREAM_TOKEN}"
                actions:
                  x:
                    url: /x
            """
        #expect(Self.failure(yaml, environment: ["UPSTREAM_TOKEN": "t"])?.line == 1)
        let configuration = try RESTConnectorConfiguration.parse(yaml: yaml, environment: ["THE_KEY": "secret", "UPSTREAM_TOKEN": "t"])
        #expect(configuration.key == "secret")
    }

    @Test("a missing file is reported with its path")
    func missingFile() {
        #expect(throws: ConfigurationError.self) { try RESTConnectorConfiguration.load(file: "/nonexistent/rest.yaml") }
        do {
            _ = try RESTConnectorConfiguration.load(file: "/nonexistent/rest.yaml")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/rest.yaml: cannot read the file"))
        }
    }
}
