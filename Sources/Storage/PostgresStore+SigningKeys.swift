import Foundation
import PostgresNIO
import WSECore

extension PostgresStore: SigningKeyStore {
    /// Every stored key, oldest first.
    public func signingKeys() async throws(StoreError) -> [StoredSigningKey] {
        try await access("read the signing keys") {
            try await rows("SELECT kid, private_key_pem, created_at, retired_at, verifies_until FROM signing_key ORDER BY created_at, kid")
                .map { row in
                    let (kid, pem, createdAt, retiredAt, verifiesUntil) = try row.decode((String, String, Date, Date?, Date?).self)
                    return StoredSigningKey(kid: kid, privateKeyPEM: pem, createdAt: createdAt, retiredAt: retiredAt, verifiesUntil: verifiesUntil)
                }
        }
    }

    /// Adds `key` unless its kid is stored; retires the keys that sign and deletes the dropped ones; announces
    /// `signingKeys`; all in one transaction, so that nodes never see a ring without a signing key.
    public func addSigningKey(_ key: StoredSigningKey, retiring: KeyRetirement?) async throws(StoreError) {
        try await access("add a signing key") {
            try await client.withTransaction(logger: logger) { connection in
                if let retiring {
                    _ = try await connection.query(
                        """
                        UPDATE signing_key SET retired_at = \(retiring.at), verifies_until = \(retiring.verifiesUntil)
                        WHERE retired_at IS NULL AND kid <> \(key.kid)
                        """, logger: logger
                    ).collect()
                    _ = try await connection.query("DELETE FROM signing_key WHERE verifies_until <= \(retiring.at)", logger: logger).collect()
                }
                _ = try await connection.query(
                    """
                    INSERT INTO signing_key (kid, private_key_pem, created_at, retired_at, verifies_until)
                    VALUES (\(key.kid), \(key.privateKeyPEM), \(key.createdAt), \(key.retiredAt), \(key.verifiesUntil))
                    ON CONFLICT (kid) DO NOTHING
                    """, logger: logger
                ).collect()
                _ = try await connection.query(Self.notification(of: .signingKeys), logger: logger).collect()
            }
        }
    }
}
