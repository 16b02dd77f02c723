import GRDB

/// The tables of the store and how each version of WSE upgrades them.
///
/// Append migrations; never edit one that has shipped (an existing database has already run it).
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: subscribers, services, secrets, compositions") { db in
            try db.create(table: SubscriberRecord.databaseTableName) { t in
                t.primaryKey("username", .text)
                t.column("passwordHash", .text).notNull()
                t.column("roles", .text).notNull()  // JSON array of strings
                t.column("sipURI", .text)
                t.column("sipPassword", .text)
            }
            try db.create(table: ServiceRecord.databaseTableName) { t in
                t.primaryKey("id", .text)
                t.column("definition", .text).notNull()  // the ServiceDefinition as JSON
            }
            try db.create(table: SecretRecord.databaseTableName) { t in
                t.primaryKey("name", .text)
                t.column("value", .text).notNull()
            }
            try db.create(table: CompositionRecord.databaseTableName) { t in
                t.column("id", .text).notNull()
                t.column("version", .integer).notNull()
                t.column("source", .text).notNull()
                t.column("createdAt", .double).notNull()  // seconds since 1970, UTC
                t.primaryKey(["id", "version"])
            }
        }
        migrator.registerMigration("v2: signing keys") { db in
            try db.create(table: SigningKeyRecord.databaseTableName) { t in
                t.primaryKey("kid", .text)
                t.column("privateKeyPEM", .text).notNull()
                t.column("createdAt", .double).notNull()  // seconds since 1970, UTC
                t.column("retiredAt", .double)
                t.column("verifiesUntil", .double)
            }
        }
        migrator.registerMigration("v3: providers, retailers, audit") { db in
            try db.create(table: ProviderRecord.databaseTableName) { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("keyHash", .text).notNull().unique()
                t.column("createdAt", .double).notNull()  // seconds since 1970, UTC
            }
            try db.create(table: RetailerRecord.databaseTableName) { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("origins", .text).notNull()  // JSON array of strings
                t.column("clientID", .text).notNull().unique()
            }
            try db.create(table: AuditRecord.databaseTableName) { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("at", .double).notNull()  // seconds since 1970, UTC
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("target", .text).notNull()
                t.column("detail", .text).notNull()
            }
        }
        migrator.registerMigration("v4: subscribers' SIP digest") { db in
            try db.alter(table: SubscriberRecord.databaseTableName) { t in
                t.add(column: "sipAuthUser", .text)
                t.add(column: "sipRealm", .text)
                t.add(column: "sipHA1", .text)  // MD5(authUser:realm:password), never the password
            }
            // The SIP password was never read; it is not kept in clear any more.
            try db.execute(sql: "UPDATE subscriber SET sipPassword = NULL")
        }
        migrator.registerMigration("v5: usage records") { db in
            try db.create(table: UsageRecordRow.databaseTableName) { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("user", .text).notNull()
                t.column("retailer", .text)
                t.column("provider", .text)
                t.column("service", .text).notNull()
                t.column("action", .text).notNull()
                t.column("pid", .text).notNull()
                t.column("start", .double).notNull().indexed()  // seconds since 1970, UTC
                t.column("end", .double).notNull()
                t.column("outcome", .text).notNull()
                t.column("events", .integer).notNull()
                t.column("bytes", .integer).notNull()
            }
        }
        return migrator
    }
}
