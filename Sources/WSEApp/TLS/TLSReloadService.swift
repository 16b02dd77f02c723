import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the node's certificate and key on SIGHUP, the signal operators' renewal tools send (certbot's deploy
/// hook, `systemctl reload`). Runs until the node shuts down.
struct TLSReloadService: Service {
    let tls: NodeTLS
    let logger: Logger

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            do {
                try tls.reload()
                logger.notice("TLS certificate reloaded", metadata: ["certificate": "\(tls.certificatePath)"])
            } catch {
                logger.error("TLS certificate not reloaded; the previous one stays", metadata: ["error": "\(error)"])
            }
        }
    }
}
