import Foundation
import NIOCore
import NIOPosix
import Testing
import WSEApp
import WSECore

/// `node.database`: a SQLite file or a PostgreSQL URL, and a node that will not start without its database.
@Suite struct NodeDatabaseTests {
    @Test func aPostgresURLIsReadAndAnIncompleteOneNamesItsLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wse-db-\(RandomID.make(length: 6)).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try "node:\n  database: postgres://wse:pw@db.example:6543/wse\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try NodeRunner.loadConfiguration(file: file.path).node.database == "postgres://wse:pw@db.example:6543/wse")

        try "node:\n  port: 8080\n  database: postgres://wse@db.example\n".write(to: file, atomically: true, encoding: .utf8)
        #expect {
            try NodeRunner.loadConfiguration(file: file.path)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("\(file.path):3:") && text.contains("names no database")
        }
    }

    @Test func aNodeRefusesToStartWhenPostgreSQLIsDownAndNamesTheURL() async throws {
        // A port that was free a moment ago: nothing listens there.
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(listener.localAddress?.port)
        try await listener.close()
        let url = "postgres://wse:secret@127.0.0.1:\(port)/wse"
        var opened = false
        let error = await #expect(throws: NodeStartupError.self) {
            try await NodeRunner.withStore(url, logger: .init(label: "test")) { _ in opened = true }
        }
        #expect(!opened)
        #expect(error?.description.contains("cannot open the database") == true)
        #expect(error?.description.contains("postgres://wse@127.0.0.1:\(port)/wse: PostgreSQL is not reachable") == true)
        #expect(error?.description.contains("secret") == false, "the password stays out of messages")
    }
}
