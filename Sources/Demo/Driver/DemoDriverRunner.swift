import WSEApp
import Foundation
import Logging
import ServiceLifecycle

/// `wse demo drive`: runs the ``DemoDriver`` until its rounds are done or Ctrl-C (SIGINT or SIGTERM:
/// a graceful shutdown, so that it cleans up), one timed line per change.
public enum DemoDriverRunner {
    public static func run(_ options: DemoDriverOptions) async throws {
        say("wse demo drive: Ctrl-C stops it, and bob and carol sign out")
        let time = Date.ISO8601FormatStyle(timeZone: .current).time(includingFractionalSeconds: false)
        let driver = DemoDriver(options: options) { event in say("\(Date().formatted(time))  \(event)") }
        var logger = Logger(label: "wse.demo.drive")
        logger.logLevel = .error
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: driver, successTerminationBehavior: .gracefullyShutdownGroup)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // Cleaning up takes a few requests; a node that stopped answering must not hold Ctrl-C for long.
        configuration.maximumGracefulShutdownDuration = .seconds(20)
        try await ServiceGroup(configuration: configuration).run()
        say("stopped")
    }
}
