import Metrics
import MetricsTestKit
import Synchronization

/// A metrics factory that counts the handles made, by label, over `TestMetrics`, which keeps their values.
final class CountingMetrics: MetricsFactory {
    let recorded = TestMetrics()
    private let made = Mutex<[String: Int]>([:])

    /// How many handles were made for `label`.
    func handlesMade(_ label: String) -> Int { made.withLock { $0[label] ?? 0 } }

    private func count(_ label: String) { made.withLock { $0[label, default: 0] += 1 } }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        count(label)
        return recorded.makeCounter(label: label, dimensions: dimensions)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        count(label)
        return recorded.makeMeter(label: label, dimensions: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        count(label)
        return recorded.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        count(label)
        return recorded.makeTimer(label: label, dimensions: dimensions)
    }

    func destroyCounter(_ handler: any CounterHandler) { recorded.destroyCounter(handler) }
    func destroyMeter(_ handler: any MeterHandler) { recorded.destroyMeter(handler) }
    func destroyRecorder(_ handler: any RecorderHandler) { recorded.destroyRecorder(handler) }
    func destroyTimer(_ handler: any TimerHandler) { recorded.destroyTimer(handler) }
}
