import Logging
import ServiceLifecycle

/// Runs a service (a Hummingbird application) in a ServiceGroup and stops it gracefully:
/// cancelling the task instead races with connections being accepted.
final class RunningService: Sendable {
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init(_ service: some Service) {
        let group = ServiceGroup(configuration: .init(services: [service], gracefulShutdownSignals: [],
                                                      logger: Logger(label: "wse.tests")))
        self.group = group
        self.task = Task { try await group.run() }
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
