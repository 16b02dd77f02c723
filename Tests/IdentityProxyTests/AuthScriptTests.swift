import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import IdentityProxy
import IdentityProxyTesting

/// Runs the served auth.js in node (as a page would: loaded from its URL, with sessionStorage)
/// against a live node on loopback.
@Suite struct AuthScriptTests {
    /// A page's view: load the script from the node, log in, read, fail, log out. Prints one JSON line.
    static let page = #"""
    const base = process.env.WSE_BASE;
    const saved = new Map();
    globalThis.sessionStorage = {
      getItem: (k) => (saved.has(k) ? saved.get(k) : null),
      setItem: (k, v) => saved.set(k, String(v)),
      removeItem: (k) => saved.delete(k),
    };
    globalThis.document = { currentScript: { src: base + "/idp/auth.js" } };
    (0, eval)(await (await fetch(base + "/idp/auth.js")).text());
    const out = { nodeURL: WSEAuth.nodeURL, webSocketURL: WSEAuth.webSocketURL, before: WSEAuth.token() };
    out.token = await WSEAuth.login("alice", "demo");
    out.kept = WSEAuth.token() === out.token;
    out.storedAs = Object.keys(JSON.parse(saved.get("wse.auth"))).sort();
    try { await WSEAuth.login("alice", "wrong"); out.wrong = "resolved"; }
    catch (e) { out.wrong = { status: e.status, code: e.code, message: e.message }; }
    WSEAuth.logout();
    out.afterLogout = WSEAuth.token();
    saved.set("wse.auth", JSON.stringify({ token: "old", expiresAt: Date.now() - 1 }));
    out.expired = WSEAuth.token();
    console.log(JSON.stringify(out));
    """#

    struct PageResult: Decodable {
        struct Failure: Decodable { var status: Int; var code: String; var message: String }
        var nodeURL: String
        var webSocketURL: String
        var before: String?
        var token: String
        var kept: Bool
        var storedAs: [String]
        var wrong: Failure
        var afterLogout: String?
        var expired: String?
    }

    @Test func aPageLogsInKeepsTheTokenAndLogsOut() async throws {
        let kit = try await IdentityTestKit.make(username: "alice", password: "demo")
        let router = Router()
        IdentityRoutes(issuer: kit.issuer).addRoutes(to: router)
        try await Application(router: router).test(.live) { client in
            let port = try #require(client.port)
            let base = "http://127.0.0.1:\(port)"
            let output = try await Self.runNode(Self.page, environment: ["WSE_BASE": base])
            let result = try JSONDecoder().decode(PageResult.self, from: Data(output.utf8))
            #expect(result.nodeURL == base)
            #expect(result.webSocketURL == "ws://127.0.0.1:\(port)/wse")
            #expect(result.before == nil)
            #expect(try await kit.verifier.verify(token: result.token).user == "alice")
            #expect(result.kept)
            #expect(result.storedAs == ["expiresAt", "token"])
            #expect(result.wrong.status == 401 && result.wrong.code == "invalid_credentials")
            #expect(result.wrong.message == "wrong user name or password")
            #expect(result.afterLogout == nil)
            #expect(result.expired == nil)
        }
    }

    /// Runs `script` as an ES module in node and returns its standard output; fails loudly without node.
    static func runNode(_ script: String, environment: [String: String]) async throws -> String {
        let node = ["/usr/bin/node", "/usr/local/bin/node"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let executable = try #require(node, "node is needed to test auth.js (apt-get install nodejs)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--input-type=module", "-e", script]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(status == 0, "node failed: \(problems)")
        return text
    }
}
