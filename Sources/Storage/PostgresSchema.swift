import Logging
import PostgresNIO
import WSECore

/// The PostgreSQL tables of the store and how each version of WSE upgrades them, recorded in `schema_version`.
///
/// Append migrations; never edit one that has shipped (an existing database has already run it).
/// Nodes that start together take turns through an advisory lock, so each migration runs once.
enum PostgresSchema {
    /// One step of the schema: its number (1, 2, …), what it does, and its statements, run in one transaction.
    struct Migration {
        let version: Int
        let name: String
        let statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(version: 1, name: "subscribers, services, secrets, compositions", statements: [
            """
            CREATE TABLE subscriber (
                username text PRIMARY KEY, password_hash text NOT NULL, roles text[] NOT NULL,
                sip_uri text, sip_password text)
            """,
            // The whole ServiceDefinition as JSON (text, as in SQLite), so new fields need no migration.
            "CREATE TABLE service (id text PRIMARY KEY, definition text NOT NULL)",
            "CREATE TABLE secret (name text PRIMARY KEY, value text NOT NULL)",
            // The last version handed out per composition: saves take it with one atomic upsert.
            "CREATE TABLE composition_head (id text PRIMARY KEY, last_version integer NOT NULL)",
            """
            CREATE TABLE composition (
                id text NOT NULL, version integer NOT NULL, source text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (id, version))
            """,
        ]),
        Migration(version: 2, name: "signing keys, login counters", statements: [
            // The identity proxy's key ring: the newest key not retired signs; retired keys verify until verifies_until.
            """
            CREATE TABLE signing_key (
                kid text PRIMARY KEY, private_key_pem text NOT NULL, created_at timestamptz NOT NULL,
                retired_at timestamptz, verifies_until timestamptz)
            """,
            // The login limits of every node together: failures per (user name, client) and per client address.
            // client '' is the unknown client; last_update NULL marks a row made only to be locked.
            """
            CREATE TABLE login_pair_failures (
                username text NOT NULL, client text NOT NULL, failures integer NOT NULL, last_update timestamptz,
                PRIMARY KEY (username, client))
            """,
            "CREATE TABLE login_address_budget (client text PRIMARY KEY, level double precision NOT NULL, last_update timestamptz)",
            "CREATE INDEX login_pair_failures_last_update ON login_pair_failures (last_update)",
            "CREATE INDEX login_address_budget_last_update ON login_address_budget (last_update)",
        ]),
        // The cluster's tables (docs/CLUSTER.md).
        Migration(version: 3, name: "cluster: nodes, session and process directories, shared session store, bus messages", statements: [
            """
            CREATE TABLE cluster_node (
                id text PRIMARY KEY, url text NOT NULL, pid integer NOT NULL, sessions integer NOT NULL DEFAULT 0,
                started_at timestamptz NOT NULL DEFAULT now(), heartbeat_at timestamptz NOT NULL DEFAULT now())
            """,
            // principal: JSON text, for operators; last_seq: the highest acknowledged seq (its events are deleted).
            """
            CREATE TABLE cluster_session (
                id text PRIMARY KEY, username text NOT NULL, node text NOT NULL, principal text NOT NULL,
                last_seq bigint NOT NULL DEFAULT 0, opened_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX cluster_session_username ON cluster_session (username)",
            """
            CREATE TABLE cluster_process (
                pid text PRIMARY KEY, node text NOT NULL, session text, username text NOT NULL, service text NOT NULL,
                serving text NOT NULL, composed boolean NOT NULL, started_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX cluster_process_session ON cluster_process (session)",
            """
            CREATE TABLE session_event (
                session text NOT NULL, seq bigint NOT NULL, text text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (session, seq))
            """,
            // NOTIFY payloads over its limit, passed by id (docs/CLUSTER.md, the bus).
            "CREATE TABLE cluster_message (id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
        ]),
        // The broker's parties, subscribers linked to IMS, usage records (docs/STORAGE.md).
        Migration(version: 4, name: "providers, retailers, audit, subscribers' SIP digest, usage", statements: [
            "CREATE TABLE provider (id text PRIMARY KEY, name text NOT NULL, key_hash text NOT NULL UNIQUE, created_at timestamptz NOT NULL)",
            "CREATE TABLE retailer (id text PRIMARY KEY, name text NOT NULL, origins text[] NOT NULL, client_id text NOT NULL UNIQUE)",
            """
            CREATE TABLE audit (
                seq bigserial PRIMARY KEY, at timestamptz NOT NULL, actor text NOT NULL, action text NOT NULL,
                target text NOT NULL, detail text NOT NULL)
            """,
            // Subscribers' SIP identity as a digest HA1 (MD5(auth_user:realm:password)); the clear password goes.
            "ALTER TABLE subscriber ADD COLUMN sip_auth_user text, ADD COLUMN sip_realm text, ADD COLUMN sip_ha1 text",
            "UPDATE subscriber SET sip_password = NULL",
            // One row per request or process (usage records for billing), written in batches off the hot path.
            """
            CREATE TABLE usage (
                seq bigserial PRIMARY KEY, user_name text NOT NULL, retailer text, provider text, service text NOT NULL,
                action text NOT NULL, pid text NOT NULL, started_at timestamptz NOT NULL, ended_at timestamptz NOT NULL,
                outcome text NOT NULL, events bigint NOT NULL, bytes bigint NOT NULL)
            """,
            "CREATE INDEX usage_started_at ON usage (started_at)",
        ]),
        // The shared session store keeps the responses, errors and `end`s held for an away client too; they have
        // no seq: each sits after the event `after_seq`, `rank`-th of those held after it (docs/CLUSTER.md).
        Migration(version: 5, name: "cluster: messages held for away clients", statements: [
            """
            CREATE TABLE session_message (
                session text NOT NULL, after_seq bigint NOT NULL, rank integer NOT NULL, text text NOT NULL,
                recorded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (session, after_seq, rank))
            """
        ]),
        // A user push for the sessions of a dead node, waiting for the node that takes each over to number it after
        // the session's highest seq, in `id` order (docs/CLUSTER.md, "User pushes during a failover").
        Migration(version: 6, name: "cluster: user pushes pending for the sessions of dead nodes", statements: [
            """
            CREATE TABLE session_pending (
                id bigserial PRIMARY KEY, session text NOT NULL, tail text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX session_pending_session ON session_pending (session, id)",
        ]),
    ]

    /// The newest schema version this WSE knows.
    static var newestVersion: Int { migrations.last?.version ?? 0 }

    /// Key of the advisory lock that serialises migrations across nodes ("WSE" in ASCII).
    private static let migrationLock = 0x575345

    /// Connects once to `target` and runs the migrations it lacks; refuses a schema newer than this WSE knows.
    static func migrate(_ target: PostgresURL, logger: Logger) async throws(StoreError) {
        let location = target.description
        do {
            let connection = try await PostgresConnection.connect(
                configuration: target.connectionConfiguration, id: 0, logger: logger)
            do {
                try await connection.withTransaction(logger: logger) { connection in
                    try await migrate(on: connection, location: location, logger: logger)
                }
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw PostgresStore.storeError(error, location: location, doing: "create or upgrade the schema")
        }
    }

    private static func migrate(on connection: PostgresConnection, location: String, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_version (
                version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
        var current = 0
        for try await version in try await connection.query("SELECT COALESCE(MAX(version), 0) FROM schema_version", logger: logger)
            .decode(Int.self) {
            current = version
        }
        guard current <= newestVersion else {
            throw StoreError(
                "the database \(location) has schema version \(current), newer than version \(newestVersion) that this WSE knows: "
                    + "a newer WSE upgraded it; run that WSE (or a later one), or restore a backup taken before the upgrade")
        }
        for migration in migrations where migration.version > current {
            for statement in migration.statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query(
                "INSERT INTO schema_version (version, name) VALUES (\(migration.version), \(migration.name))", logger: logger)
            logger.info("schema migrated", metadata: ["wse.database": "\(location)", "wse.schema": "\(migration.version)"])
        }
    }
}
