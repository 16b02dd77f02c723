import ConnectionManager
import Logging
import WSECore

/// The retailers in force at the connection manager: those of the configuration file and those on board
/// (the store's), read again whenever the store reports a retailer change, on any node.
struct RetailerDirectory: Sendable {
    let configured: [ConnectionManagerConfiguration.Retailer]
    let store: any PartyStore
    let connections: ConnectionManager
    let logger: Logger

    /// Reads the retailers on board and puts them in force beside the configured ones (a configured id wins).
    /// A failed read keeps the retailers in force.
    func refresh() async {
        do {
            let configuredIDs = Set(configured.map(\.id))
            let onBoard = try await store.retailers().filter { !configuredIDs.contains($0.id) }.map {
                ConnectionManagerConfiguration.Retailer(id: $0.id, origins: $0.origins, clientID: $0.clientID)
            }
            connections.updateRetailers(configured + onBoard)
        } catch {
            logger.error("could not refresh the retailers; keeping the ones in force", metadata: ["error": "\(error)"])
        }
    }
}
