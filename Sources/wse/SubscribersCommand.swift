import ArgumentParser
import Logging
import WSEApp

/// `wse subscribers`: the subscribers in the store the nodes share, with their SIP identity.
struct SubscribersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribers",
        abstract: "Add, list, remove subscribers, or change their passwords and SIP identity.",
        discussion: """
            One subscriber record serves the Web login and IMS: the IMS connector looks
            the user's SIP identity up at the node. Passwords are stored as a slow salted
            hash, SIP passwords as their digest HA1 (MD5 of user:realm:password); neither
            is ever stored in clear.

              wse subscribers add dave --password s3cret --sip-uri sip:dave@ims.example --sip-password pw --config node.yaml
              wse subscribers list --database wse.sqlite
              wse subscribers passwd dave --password n3w --config node.yaml
              wse subscribers remove dave --config node.yaml

            The SIP digest user and realm default to the user and host of --sip-uri.
            """,
        subcommands: [Add.self, List.self, Remove.self, Passwd.self])

    /// Where the subscribers are: a node's configuration file or a database named directly.
    struct StoreOptions: ParsableArguments {
        @Option(name: .shortAndLong, help: "A node's configuration file: its node.database is used.")
        var config: String?

        @Option(help: "The database instead of a configuration file: a SQLite file or postgres://user[:password]@host[:port]/database.")
        var database: String?

        func validate() throws {
            guard (config == nil) != (database == nil) else {
                throw ValidationError("give either --config FILE or --database URL (exactly one)")
            }
        }

        func withAdministrator<T: Sendable>(_ body: (SubscriberAdministrator) async throws -> T) async throws -> T {
            let url = try config.map { try NodeRunner.loadConfiguration(file: $0).node.database } ?? database ?? ""
            return try await NodeRunner.withStore(url, logger: SubscribersCommand.logger) { store in
                try await body(SubscriberAdministrator(store: store))
            }
        }
    }

    /// A SIP identity from the command line.
    struct SIPOptions: ParsableArguments {
        @Option(help: "The subscriber's SIP address of record, sip:user@domain.")
        var sipURI: String?
        @Option(help: "The SIP password (stored only as its digest HA1).")
        var sipPassword: String?
        @Option(help: "The SIP digest user name (default: the user of --sip-uri).")
        var sipAuthUser: String?
        @Option(help: "The SIP digest realm (default: the host of --sip-uri).")
        var sipRealm: String?

        func validate() throws {
            guard (sipURI == nil) == (sipPassword == nil) else { throw ValidationError("--sip-uri and --sip-password go together") }
        }

        var identity: SubscriberAdministrator.SIPIdentity? {
            guard let sipURI, let sipPassword else { return nil }
            return .init(uri: sipURI, authUser: sipAuthUser, realm: sipRealm, password: sipPassword)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a subscriber (refused when the name is taken).")
        @Argument var username: String
        @Option(help: "The login password.") var password: String
        @Option(name: .customLong("role"), help: "A role (repeat for more; default: subscriber).") var roles: [String] = []
        @OptionGroup var sip: SIPOptions
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await store.withAdministrator { administrator in
                try await administrator.add(username: username, password: password, roles: roles.isEmpty ? ["subscriber"] : roles, sip: sip.identity)
            }
            print("subscriber \(username) added")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the subscribers: name, roles, SIP URI, digest user and realm.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            print(SubscriberAdministrator.table(try await store.withAdministrator { try await $0.list() }))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a subscriber.")
        @Argument var username: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await store.withAdministrator { try await $0.remove(username: username) }
            print("subscriber \(username) removed")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a subscriber's login password and/or SIP identity.")
        @Argument var username: String
        @Option(help: "The new login password.") var password: String?
        @OptionGroup var sip: SIPOptions
        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard password != nil || sip.identity != nil else { throw ValidationError("give --password, or --sip-uri with --sip-password") }
        }

        func run() async throws {
            try await store.withAdministrator { try await $0.change(username: username, password: password, sip: sip.identity) }
            print("subscriber \(username) changed")
        }
    }

    static var logger: Logger {
        var logger = Logger(label: "wse.subscribers")
        logger.logLevel = .warning
        return logger
    }
}
