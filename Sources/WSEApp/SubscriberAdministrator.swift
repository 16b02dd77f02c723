import Foundation
import IdentityProxy
import WSECore

/// Adds, lists, removes subscribers and changes their passwords, for the admin API and `wse subscribers`:
/// the login password is kept as a slow salted hash, the SIP password as its digest HA1, neither in clear.
public struct SubscriberAdministrator: Sendable {
    let store: any SubscriberAdministration
    let hasher: PasswordHasher

    public init(store: any SubscriberAdministration, hasher: PasswordHasher = .init()) {
        self.store = store
        self.hasher = hasher
    }

    /// A subscriber's SIP identity as given by the operator: the SIP password is turned into its HA1 here.
    public struct SIPIdentity: Sendable, Codable {
        public var uri: String
        /// The digest user name; defaults to the user part of `uri`.
        public var authUser: String?
        /// The digest realm; defaults to the host part of `uri`.
        public var realm: String?
        public var password: String

        public init(uri: String, authUser: String? = nil, realm: String? = nil, password: String) {
            self.uri = uri
            self.authUser = authUser
            self.realm = realm
            self.password = password
        }
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case invalid(String)
        case duplicate(String)
        case notFound(String)
        case store(StoreError)

        public var description: String {
            switch self {
            case .invalid(let why): why
            case .duplicate(let name): "a subscriber named \"\(name)\" exists already (change it with passwd, or remove it first)"
            case .notFound(let name): "no subscriber named \"\(name)\""
            case .store(let error): error.description
            }
        }
    }

    /// Creates a subscriber; one with that name already is `.duplicate`.
    public func add(username: String, password: String, roles: [String] = ["subscriber"], sip: SIPIdentity? = nil) async throws(Failure) {
        guard !username.isEmpty, username.utf8.count <= 256, !username.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            throw .invalid("the user name must be 1 to 256 bytes, without spaces or '/'")
        }
        guard !password.isEmpty else { throw .invalid("the password must not be empty") }
        var subscriber = Subscriber(username: username, passwordHash: try await hash(password), roles: roles)
        if let sip { try Self.apply(sip, to: &subscriber) }
        let created: Bool
        do { created = try await store.create(subscriber) } catch { throw .store(error) }
        guard created else { throw .duplicate(username) }
    }

    public func list() async throws(Failure) -> [SubscriberSummary] {
        do { return try await store.allSubscribers().map(SubscriberSummary.init) } catch { throw .store(error) }
    }

    public func remove(username: String) async throws(Failure) {
        let removed: Bool
        do { removed = try await store.deleteSubscriber(named: username) } catch { throw .store(error) }
        guard removed else { throw .notFound(username) }
    }

    /// Changes the login password, and the SIP identity when one is given.
    public func change(username: String, password: String?, sip: SIPIdentity?) async throws(Failure) {
        let found: Subscriber?
        do { found = try await store.subscriber(named: username) } catch { throw .store(error) }
        guard var subscriber = found else { throw .notFound(username) }
        if let password {
            guard !password.isEmpty else { throw .invalid("the password must not be empty") }
            subscriber.passwordHash = try await hash(password)
        }
        if let sip { try Self.apply(sip, to: &subscriber) }
        do { try await store.save(subscriber) } catch { throw .store(error) }
    }

    private func hash(_ password: String) async throws(Failure) -> String {
        do { return try await hasher.hash(password) } catch { throw .invalid("the password could not be hashed: \(error)") }
    }

    static func apply(_ sip: SIPIdentity, to subscriber: inout Subscriber) throws(Failure) {
        guard sip.uri.hasPrefix("sip:") || sip.uri.hasPrefix("sips:"), let at = sip.uri.firstIndex(of: "@") else {
            throw .invalid("the SIP URI must be sip:user@domain, not \"\(sip.uri)\"")
        }
        let scheme = sip.uri.hasPrefix("sips:") ? 5 : 4
        let user = String(sip.uri[sip.uri.index(sip.uri.startIndex, offsetBy: scheme)..<at])
        let host = String(sip.uri[sip.uri.index(after: at)...].prefix { $0 != ";" && $0 != ":" && $0 != ">" })
        guard !sip.password.isEmpty, !user.isEmpty, !host.isEmpty else {
            throw .invalid("the SIP identity needs a URI with a user and a host, and a password")
        }
        let authUser = sip.authUser ?? user
        let realm = sip.realm ?? host
        subscriber.sipURI = sip.uri
        subscriber.sipAuthUser = authUser
        subscriber.sipRealm = realm
        subscriber.sipHA1 = Subscriber.digestHA1(authUser: authUser, realm: realm, password: sip.password)
    }
}

extension SubscriberAdministrator {
    /// The subscribers as a table for a terminal (no hash, no HA1).
    public static func table(_ subscribers: [SubscriberSummary]) -> String {
        let rows = [["USER", "ROLES", "SIP URI", "DIGEST USER", "REALM"]] + subscribers.map {
            [$0.username, $0.roles.joined(separator: ","), $0.sipURI ?? "-", $0.sipAuthUser ?? "-", $0.sipRealm ?? "-"]
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
