// A tiny node for bench/ws: Hummingbird + the connection manager, with a token verifier that accepts
// `bench:<user>` (benchmark only). usage: cm-server PORT
import ConnectionManager
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import WSECore

struct BenchTokens: TokenVerifying {
    func verify(token: String) async throws(TokenError) -> Principal {
        guard token.hasPrefix("bench:") else { throw .malformed("not a bench token") }
        return Principal(user: UserName(String(token.dropFirst(6))), roles: ["subscriber"], expiresAt: Date().addingTimeInterval(86_400))
    }
}

final class NoServices: ClientRequestHandling {
    func handle(_ request: ClientRequest, from session: SessionContext) async {}
    func cancel(pid: ProcessID, from session: SessionContext) async throws(ServiceError) {}
    func sessionEnded(_ sessionID: SessionID) async {}
}

let port = Int(CommandLine.arguments[1])!
var logger = Logger(label: "cm-server")
logger.logLevel = .warning
var configuration = ConnectionManagerConfiguration()
configuration.retailers = [.init(id: "bench", origins: ["*"])]
configuration.allowMissingOrigin = true
configuration.echoEndpoint = true
let manager = ConnectionManager(configuration: configuration, tokens: BenchTokens(), logger: logger)
let services = NoServices()  // the manager holds its request handler weakly
manager.connect(to: services)
let router = Router()
router.get("/healthz") { _, _ in "ok" }
let app = Application(router: router, server: manager.httpServer(),
                      configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
try await ServiceGroup(configuration: .init(services: [app, manager], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
