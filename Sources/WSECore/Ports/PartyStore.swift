/// Port: the broker's parties (providers and retailers) and the audit log of changes to them and to services.
///
/// Every save records its audit entry in the same transaction, and announces `StoreChange.provider` or
/// `.retailer`, so that a change is in force on every node of a shared store.
public protocol PartyStore: Sendable {
    func providers() async throws(StoreError) -> [ProviderAccount]
    func provider(id: String) async throws(StoreError) -> ProviderAccount?
    /// The provider whose key hashes to `keyHash` (`ProviderAccount.keyHash`), if any.
    func provider(keyHash: String) async throws(StoreError) -> ProviderAccount?
    /// Creates the provider, or replaces the one with the same id, and records `audit`.
    func save(_ provider: ProviderAccount, audit: AuditEntry) async throws(StoreError)

    /// Every retailer, ordered by id.
    func retailers() async throws(StoreError) -> [RetailerAccount]
    func retailer(clientID: String) async throws(StoreError) -> RetailerAccount?
    /// Creates the retailer, or replaces the one with the same id, and records `audit`.
    func save(_ retailer: RetailerAccount, audit: AuditEntry) async throws(StoreError)

    /// Records a change made elsewhere (a service registered by a provider).
    func record(_ audit: AuditEntry) async throws(StoreError)
    /// The newest `limit` entries, newest first.
    func auditEntries(limit: Int) async throws(StoreError) -> [AuditEntry]
}
