import Hummingbird
import Logging
import ServiceLifecycle

/// How a demo service is started: where it listens and whom it tells its port.
public struct ListenOptions: Sendable {
    /// The address to bind; loopback unless you mean to expose the demo.
    public var host: String
    /// The port; 0 lets the system choose (see `onRunning`).
    public var port: Int
    /// Called once the server listens, with the port it got.
    public var onRunning: @Sendable (Int) async -> Void
    public var logger: Logger

    public init(
        host: String = "127.0.0.1", port: Int = 0, logger: Logger = Logger(label: "wse.demo"),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.logger = logger
        self.onRunning = onRunning
    }

    func application(router: Router<BasicRequestContext>, serverName: String, services: [any Service] = []) -> some ApplicationProtocol {
        let onRunning = self.onRunning
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: serverName),
            services: services,
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}
