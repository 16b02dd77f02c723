import Foundation

/// The failed-login counts of one (user name, client) pair and of that client's address, as stored for a
/// cluster: the identity proxy's login limits read and change them (docs/IDENTITY.md, "Login limits").
public struct LoginCounters: Sendable, Hashable {
    /// Failures of the pair since its last success (tries being checked included).
    public var pairFailures: Int
    /// The pair's last counted try; nil when the pair has no row.
    public var pairLastUpdate: Date?
    /// Failures held in the address's budget at `addressLastUpdate` (it drains over time).
    public var addressLevel: Double
    /// nil when the address has no row.
    public var addressLastUpdate: Date?

    public init(pairFailures: Int = 0, pairLastUpdate: Date? = nil, addressLevel: Double = 0, addressLastUpdate: Date? = nil) {
        self.pairFailures = pairFailures
        self.pairLastUpdate = pairLastUpdate
        self.addressLevel = addressLevel
        self.addressLastUpdate = addressLastUpdate
    }
}

/// Port: login counters shared by the nodes of a cluster (PostgreSQL), so that the limits hold across nodes.
public protocol LoginCounterStore: Sendable {
    /// Reads the counters of (`user`, `client`) and of `client`, lets `change` update them (it must not block),
    /// and writes them back, atomically for every node: concurrent calls on the same pair or address take turns.
    /// A pair left with no failures, or an address with a level of 0, is deleted. `client` nil is the unknown client.
    func updateLoginCounters<Result: Sendable>(
        user: String, client: String?, _ change: @Sendable (inout LoginCounters) -> Result
    ) async throws(StoreError) -> Result
    /// Deletes the counters last updated before `cutoff` (pairs and addresses nobody tried for that long).
    func forgetLoginCounters(updatedBefore cutoff: Date) async throws(StoreError)
}
