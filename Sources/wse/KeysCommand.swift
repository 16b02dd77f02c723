import ArgumentParser
import Logging
import WSEApp

/// `wse keys`: the identity proxy's token-signing keys, in the store the nodes share.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List or rotate the keys that sign the identity proxy's tokens.",
        discussion: """
            The nodes of a deployment sign tokens with one key ring kept in their
            store (node.database): a token from any node is accepted by every node,
            and /idp/jwks.json is the same everywhere.

            Rotate when a key may have leaked, or on a schedule:

              wse keys rotate --config node.yaml
              wse keys rotate --database postgres://wse@db/wse --token-lifetime 3600

            The new key signs every token from then on. The previous key keeps
            verifying the tokens it signed until they have all expired (the token
            lifetime; give the longest of the nodes), then it is dropped: nobody
            has to log in again. On PostgreSQL every running node picks the change
            up within a second; a node on a SQLite file, at its next start.

              wse keys list --config node.yaml

            shows each key's id, when it was made, when it stopped signing and
            until when it verifies. Private keys are never shown.
            """,
        subcommands: [List.self, Rotate.self])

    /// Where the keys are: a node's configuration file or a database named directly.
    struct StoreOptions: ParsableArguments {
        @Option(name: .shortAndLong, help: "A node's configuration file: its node.database and identity.tokenLifetime are used.")
        var config: String?

        @Option(help: "The database instead of a configuration file: a SQLite file or postgres://user[:password]@host[:port]/database.")
        var database: String?

        @Option(help: "With --database: the longest lifetime of a token, in seconds (identity.tokenLifetime of the nodes).")
        var tokenLifetime: Int = 3600

        func validate() throws {
            guard (config == nil) != (database == nil) else {
                throw ValidationError("give either --config FILE or --database URL (exactly one)")
            }
        }

        func target() throws -> SigningKeyAdministration.Target {
            if let config { return try SigningKeyAdministration.Target(configurationFile: config) }
            return SigningKeyAdministration.Target(database: database ?? "", tokenLifetime: .seconds(tokenLifetime))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each signing key: id, creation, retirement, end of verification, state (signing, verifying, dropped).")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            print(try await SigningKeyAdministration.list(store.target(), logger: KeysCommand.logger))
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a signing key that signs from now on; the previous one verifies until its tokens have expired.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let target = try store.target()
            let key = try await SigningKeyAdministration.rotate(target, logger: KeysCommand.logger)
            print(SigningKeyAdministration.describeRotation(of: key, target))
        }
    }

    static var logger: Logger {
        var logger = Logger(label: "wse.keys")
        logger.logLevel = .warning
        return logger
    }
}
