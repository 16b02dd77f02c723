import IdentityProxy
import Logging
import Mediator
import Orchestrator
import ServiceLifecycle
import WSECore

/// Keeps what the node holds in memory in step with its store: each `StoreChange` (made through any node
/// on a shared store) refreshes the part it concerns, so that an admin change is in force everywhere.
///
/// | change | refreshed |
/// | --- | --- |
/// | `service` | the service registry, read whole again |
/// | `composition` | the orchestrator's copy of that composition |
/// | `signingKeys` | the identity proxy's key ring |
/// | `retailer` | the retailers in force at the connection manager (origins, client ids) |
/// | `everything` (changes were missed) | all four |
///
/// Subscribers, secrets and providers are read from the store where they are used, so nothing is kept to refresh.
/// A refresh that fails leaves the previous state in force (the node keeps working while the database is away).
struct StoreChangeFollower: Service {
    let changes: AsyncStream<StoreChange>
    let registry: ServiceRegistry
    let orchestrator: Orchestrator
    let issuer: TokenIssuer
    let retailers: RetailerDirectory
    let logger: Logger

    func run() async throws {
        for await change in changes.cancelOnGracefulShutdown() {
            await apply(change)
        }
    }

    func apply(_ change: StoreChange) async {
        switch change {
        case .service:
            await reloadServices()
        case .composition(let id):
            await orchestrator.compositionChanged(id)
        case .signingKeys:
            await reloadKeys()
        case .retailer:
            await retailers.refresh()
        case .subscriber, .secret, .provider:
            break
        case .everything:
            await reloadServices()
            await retailers.refresh()
            await reloadKeys()
            await orchestrator.refreshCompositions()
        }
    }

    private func reloadServices() async {
        do {
            try await registry.load()
        } catch {
            logger.error("could not refresh the services; keeping the ones held", metadata: ["error": "\(error)"])
        }
    }

    private func reloadKeys() async {
        do {
            try await issuer.reloadKeys()
        } catch {
            logger.error("could not refresh the signing keys; keeping the ones held", metadata: ["error": "\(error)"])
        }
    }
}
