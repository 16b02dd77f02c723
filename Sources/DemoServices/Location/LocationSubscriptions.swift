import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import WSECore

/// The running periodic-notification subscriptions of the location service.
///
/// Each subscription has its own task that wakes every `frequency` seconds (on a fixed
/// schedule, so the period does not drift by the time a POST takes) and POSTs the
/// terminal's position. Deleting a subscription cancels its task; so does the end of
/// the service (it runs as a `Service` beside the HTTP server).
actor LocationSubscriptions: Service {
    private var running: [String: (subscription: PeriodicSubscription, task: Task<Void, Never>)] = [:]
    private let simulator: LocationSimulator
    private let httpClient: HTTPClient
    private let policy: NotificationPolicy
    private let logger: Logger

    init(simulator: LocationSimulator, httpClient: HTTPClient, policy: NotificationPolicy, logger: Logger) {
        self.simulator = simulator
        self.httpClient = httpClient
        self.policy = policy
        self.logger = logger
    }

    func start(_ subscription: PeriodicSubscription) {
        let task = Task { await self.notify(subscription) }
        running[subscription.id] = (subscription, task)
    }

    func subscription(id: String) -> PeriodicSubscription? { running[id]?.subscription }

    var all: [PeriodicSubscription] { running.values.map(\.subscription).sorted { $0.id < $1.id } }

    /// - Returns: false when there was no such subscription.
    func stop(id: String) -> Bool {
        guard let entry = running.removeValue(forKey: id) else { return false }
        entry.task.cancel()
        return true
    }

    func stopAll() {
        for entry in running.values { entry.task.cancel() }
        running.removeAll()
    }

    /// Waits for the application's shutdown, then ends every subscription.
    nonisolated func run() async throws {
        try? await gracefulShutdown()
        await stopAll()
    }

    private func notify(_ subscription: PeriodicSubscription) async {
        let clock = ContinuousClock()
        let period = Duration.milliseconds(Int64(subscription.frequency * 1000))
        let end = subscription.duration.map { clock.now + .milliseconds(Int64($0 * 1000)) }
        var next = clock.now
        var gone = 0
        var failures = 0
        while true {
            next += period
            if let end, next > end { break }
            do { try await Task.sleep(until: next, clock: clock) } catch { return }  // cancelled: stop() already removed it
            guard let position = await simulator.position(of: subscription.address) else { break }
            switch await post(subscription.notification(for: position), to: subscription.notifyURL) {
            case .delivered:
                gone = 0
                failures = 0
            case .gone:
                gone += 1
            case .failed:
                failures += 1
            }
            if gone >= policy.goneLimit || failures >= policy.failureLimit {
                logger.info("location subscription dropped: notifyURL keeps failing", metadata: ["subscription": "\(subscription.id)"])
                break
            }
        }
        running.removeValue(forKey: subscription.id)
    }

    private enum Delivery { case delivered, gone, failed }

    private func post(_ body: JSONValue, to url: String) async -> Delivery {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body.jsonText))
        do {
            let response = try await httpClient.execute(request, timeout: .init(policy.timeout))
            _ = try? await response.body.collect(upTo: 1 << 16)
            switch response.status.code {
            case 200..<300: return .delivered
            case 404, 410: return .gone
            default: return .failed
            }
        } catch {
            logger.debug("location notification failed", metadata: ["url": "\(url)", "error": "\(error)"])
            return .failed
        }
    }
}
