import CoreMetrics
import MetricsTestKit
import Synchronization

/// A `TestMetrics` that also counts how often each kind of handle is made, so that a test can
/// show that a component makes its handles once rather than per call.
public final class CountingMetricsFactory: MetricsFactory {
    /// The recorded values, as `TestMetrics` keeps them.
    public let recorded = TestMetrics()
    private let made = Mutex(0)

    public init() {}

    /// How many counters, meters, recorders and timers were made so far.
    public var handlesMade: Int { made.withLock { $0 } }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        count { recorded.makeCounter(label: label, dimensions: dimensions) }
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        count { recorded.makeMeter(label: label, dimensions: dimensions) }
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        count { recorded.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate) }
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        count { recorded.makeTimer(label: label, dimensions: dimensions) }
    }

    public func destroyCounter(_ handler: any CounterHandler) { recorded.destroyCounter(handler) }
    public func destroyMeter(_ handler: any MeterHandler) { recorded.destroyMeter(handler) }
    public func destroyRecorder(_ handler: any RecorderHandler) { recorded.destroyRecorder(handler) }
    public func destroyTimer(_ handler: any TimerHandler) { recorded.destroyTimer(handler) }

    private func count<Handler>(_ make: () -> Handler) -> Handler {
        made.withLock { $0 += 1 }
        return make()
    }
}
