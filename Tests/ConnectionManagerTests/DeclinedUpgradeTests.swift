@testable import ConnectionManager
import Testing

/// A request that asks for an upgrade nobody serves is answered as plain HTTP (RFC 9110 §7.8: a server may ignore
/// `Upgrade`), not closed without an answer. (Every session test upgrades `/wse` through the same pipeline.)
@Suite(.timeLimit(.minutes(1))) struct DeclinedUpgradeTests {
    @Test(arguments: [
        "Connection: Upgrade, close\r\nUpgrade: h2c\r\n",
        "Connection: Upgrade, close\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n",
    ])
    func anUpgradeOfAnotherPathIsAnsweredAsPlainHTTP(headers: String) async throws {
        try await TestServer.run { server in
            let response = try await HTTPProbe.get("/healthz", port: server.port, headers: headers)
            #expect(response.hasPrefix("HTTP/1.1 200"), "\(response)")
        }
    }

    @Test func aDisabledEchoUpgradeIsAnswered404() async throws {
        try await TestServer.run { server in
            let response = try await HTTPProbe.get(
                "/wse/echo", port: server.port,
                headers: "Connection: Upgrade, close\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n")
            #expect(response.hasPrefix("HTTP/1.1 404"), "\(response)")
        }
    }
}
