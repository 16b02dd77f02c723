import Metrics
import Synchronization

/// The counters of one metric label, told apart by dimensions: each one made once, when its key first
/// occurs, so that the export lists no series that never counted.
final class CounterFamily<Key: Hashable & Sendable>: Sendable {
    private let label: String
    private let factory: any MetricsFactory
    private let dimensions: @Sendable (Key) -> [(String, String)]
    private let counters = Mutex<[Key: Counter]>([:])

    init(_ label: String, factory: any MetricsFactory, dimensions: @escaping @Sendable (Key) -> [(String, String)]) {
        self.label = label
        self.factory = factory
        self.dimensions = dimensions
    }

    func increment(_ key: Key) {
        let counter = counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions(key), factory: factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
    }
}
