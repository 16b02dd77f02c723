import Foundation
import Logging
import ServiceLifecycle

/// `wse demo drive`: runs the ``DemoDriver`` until its rounds are done or Ctrl-C, one timed line per change.
public enum DemoDriverRunner {
    public static func run(_ options: DemoDriverOptions) async throws {
        say("==> driving \(DemoDriver.contacts.joined(separator: " and ")) on \(options.nodeURL), seed \(options.seed) "
            + "(--seed \(options.seed) replays this scene); Ctrl-C stops")
        let time = Date.FormatStyle().hour(.twoDigits(amPM: .omitted)).minute(.twoDigits).second(.twoDigits)
        let driver = DemoDriver(options: options) { event in say("\(Date().formatted(time))  \(event)") }
        var logger = Logger(label: "wse.demo.drive")
        logger.logLevel = .error
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: driver)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // Cleaning up takes a few requests; a node that stopped answering must not hold Ctrl-C for long.
        configuration.maximumGracefulShutdownDuration = .seconds(20)
        try await ServiceGroup(configuration: configuration).run()
        say("==> stopped")
    }
}
