import Foundation
import LocalServers
import Testing

/// `wse serve` (the built program) whose `node.database` names a PostgreSQL that is not there: it exits at once,
/// non-zero, with a message naming the URL (docs/CLUSTER.md, what happens when each part fails).
@Suite(.timeLimit(.minutes(1))) struct PostgresDownAtStartTests {
    @Test func serveExitsNonZeroNamingTheUnreachableDatabase() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wse-pg-down-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A reserved port refuses connections: no PostgreSQL answers there.
        let reservation = try PortReservation()
        let url = "postgres://wse@127.0.0.1:\(reservation.port)/wse"
        let configuration = folder.appendingPathComponent("node.yaml").path
        try "node:\n  port: 0\n  database: \(url)\n".write(toFile: configuration, atomically: true, encoding: .utf8)

        let output = folder.appendingPathComponent("serve.out").path
        let serve = try ChildProcess([try builtWSEExecutable(), "serve", "--config", configuration], outputPath: output)
        let status = await serve.waitForExit()
        let printed = try String(contentsOfFile: output, encoding: .utf8)
        #expect(status != 0, "wse serve must fail: \(printed)")
        #expect(printed.contains(url) && printed.contains("not reachable"), "the message names the URL: \(printed)")
        withExtendedLifetime(reservation) {}
    }
}
