import Foundation
import GRDB
import WSECore

/// A row of `subscriber`. `roles` is kept as a JSON array (GRDB encodes arrays of Codable records as JSON).
struct SubscriberRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "subscriber"

    var username: String
    var passwordHash: String
    var roles: [String]
    var sipURI: String?
    var sipAuthUser: String?
    var sipRealm: String?
    var sipHA1: String?

    init(_ subscriber: Subscriber) {
        username = subscriber.username
        passwordHash = subscriber.passwordHash
        roles = subscriber.roles
        sipURI = subscriber.sipURI
        sipAuthUser = subscriber.sipAuthUser
        sipRealm = subscriber.sipRealm
        sipHA1 = subscriber.sipHA1
    }

    var subscriber: Subscriber {
        Subscriber(
            username: username, passwordHash: passwordHash, roles: roles, sipURI: sipURI, sipAuthUser: sipAuthUser, sipRealm: sipRealm,
            sipHA1: sipHA1)
    }
}

/// A row of `service` (in SQLite and PostgreSQL): the whole definition as JSON, so new fields need no migration.
struct ServiceRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "service"

    var id: String
    var definition: String

    init(id: String, definition: String) {
        self.id = id
        self.definition = definition
    }

    init(_ service: ServiceDefinition) throws {
        id = service.id.rawValue
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        definition = String(decoding: try encoder.encode(service), as: UTF8.self)
    }

    func service() throws -> ServiceDefinition {
        do {
            return try JSONDecoder().decode(ServiceDefinition.self, from: Data(definition.utf8))
        } catch {
            throw StoreError("the stored definition of service \"\(id)\" is not valid (\(error)); delete the service and register it again")
        }
    }
}

/// A row of `secret`.
struct SecretRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "secret"

    var name: String
    var value: String
}

/// A row of `composition`: one version of one composition's Orc source.
struct CompositionRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "composition"

    var id: String
    var version: Int
    var source: String
    var createdAt: Double

    init(id: String, version: Int, source: String, createdAt: Date) {
        self.id = id
        self.version = version
        self.source = source
        self.createdAt = createdAt.timeIntervalSince1970
    }

    var compositionVersion: CompositionVersion {
        CompositionVersion(id: id, version: version, source: source, createdAt: Date(timeIntervalSince1970: createdAt))
    }
}

extension ServiceRecord {
    /// The record of `service` for either engine, or a store error naming the service.
    static func encoding(_ service: ServiceDefinition) throws(StoreError) -> ServiceRecord {
        do {
            return try ServiceRecord(service)
        } catch {
            throw StoreError("could not encode service \"\(service.id)\": \(error)")
        }
    }
}

/// A row of `signingKey`: one key of the identity proxy's key ring. Times in seconds since 1970, UTC.
struct SigningKeyRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "signingKey"

    var kid: String
    var privateKeyPEM: String
    var createdAt: Double
    var retiredAt: Double?
    var verifiesUntil: Double?

    init(_ key: StoredSigningKey) {
        kid = key.kid
        privateKeyPEM = key.privateKeyPEM
        createdAt = key.createdAt.timeIntervalSince1970
        retiredAt = key.retiredAt?.timeIntervalSince1970
        verifiesUntil = key.verifiesUntil?.timeIntervalSince1970
    }

    var storedSigningKey: StoredSigningKey {
        StoredSigningKey(
            kid: kid, privateKeyPEM: privateKeyPEM, createdAt: Date(timeIntervalSince1970: createdAt),
            retiredAt: retiredAt.map(Date.init(timeIntervalSince1970:)), verifiesUntil: verifiesUntil.map(Date.init(timeIntervalSince1970:)))
    }
}
