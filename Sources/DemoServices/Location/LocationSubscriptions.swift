import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import WSECore

/// The running periodic-notification subscriptions of the location service.
///
/// It runs as a `Service` beside the HTTP server, and its `run()` owns every subscription: each is
/// a child task that wakes every `frequency` seconds on `clock` (on a fixed schedule, so the period
/// does not drift by the time a POST takes) and POSTs the terminal's position. Deleting a
/// subscription ends its task before `stop` returns; the end of the service ends them all.
actor LocationSubscriptions: Service {
    private struct Entry {
        var subscription: PeriodicSubscription
        /// Finished to end the subscription's task.
        var stop: AsyncStream<Void>.Continuation
        /// Finished by the subscription's task when it is over.
        var ended: AsyncStream<Void>
    }

    /// A subscription handed to `run()`, with the two signals of its entry.
    private struct Start: Sendable {
        var subscription: PeriodicSubscription
        var stopped: AsyncStream<Void>
        var end: AsyncStream<Void>.Continuation
    }

    private var running: [String: Entry] = [:]
    /// Whether `run()` has begun taking subscriptions (`stop` waits for a task only then).
    private var serving = false
    private let starts: AsyncStream<Start>
    private let startQueue: AsyncStream<Start>.Continuation
    private let simulator: LocationSimulator
    private let httpClient: HTTPClient
    private let policy: NotificationPolicy
    private let clock: any Clock<Duration>
    private let logger: Logger

    init(simulator: LocationSimulator, httpClient: HTTPClient, policy: NotificationPolicy, clock: any Clock<Duration>, logger: Logger) {
        self.simulator = simulator
        self.httpClient = httpClient
        self.policy = policy
        self.clock = clock
        self.logger = logger
        (starts, startQueue) = AsyncStream.makeStream(of: Start.self)
    }

    /// Starts notifying. - Returns: false once the service has shut down.
    func start(_ subscription: PeriodicSubscription) -> Bool {
        let (stopped, stop) = AsyncStream.makeStream(of: Void.self)
        let (ended, end) = AsyncStream.makeStream(of: Void.self)
        guard case .enqueued = startQueue.yield(Start(subscription: subscription, stopped: stopped, end: end)) else { return false }
        running[subscription.id] = Entry(subscription: subscription, stop: stop, ended: ended)
        return true
    }

    func subscription(id: String) -> PeriodicSubscription? { running[id]?.subscription }

    var all: [PeriodicSubscription] { running.values.map(\.subscription).sorted { $0.id < $1.id } }

    /// Ends a subscription; once this returns, it sends nothing more.
    /// - Returns: false when there was no such subscription.
    func stop(id: String) async -> Bool {
        guard let entry = running.removeValue(forKey: id) else { return false }
        entry.stop.finish()
        if serving {
            for await _ in entry.ended {}
        }
        return true
    }

    /// Runs every subscription until the application shuts down, then ends them all.
    nonisolated func run() async {
        await beginServing()
        await withDiscardingTaskGroup { group in
            group.addTask {
                try? await gracefulShutdown()
                await self.shutDown()
            }
            // Ends once `shutDown` finished the queue and the subscriptions queued before it have begun.
            for await start in starts {
                group.addTask { await self.notify(start) }
            }
        }
    }

    private func beginServing() { serving = true }

    /// Refuses new subscriptions and ends the running ones.
    private func shutDown() {
        startQueue.finish()
        for entry in running.values { entry.stop.finish() }
        running.removeAll()
    }

    /// Notifies until `start.stopped` ends or the subscription ends by itself.
    private nonisolated func notify(_ start: Start) async {
        defer { start.end.finish() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.notifyPeriodically(start.subscription, clock: self.clock) }
            group.addTask { for await _ in start.stopped {} }
            await group.next()
            group.cancelAll()
        }
    }

    private func notifyPeriodically<C: Clock<Duration>>(_ subscription: PeriodicSubscription, clock: C) async {
        let period = Duration.milliseconds(Int64(subscription.frequency * 1000))
        let started = clock.now
        let end = subscription.duration.map { started.advanced(by: .milliseconds(Int64($0 * 1000))) }
        var next = started
        var gone = 0
        var failures = 0
        while true {
            next = next.advanced(by: period)
            if let end, next > end {
                // Stays listed until its duration is over.
                do { try await clock.sleep(until: end, tolerance: nil) } catch { return }
                break
            }
            do { try await clock.sleep(until: next, tolerance: nil) } catch { return }  // stopped: `stop` already removed it
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
