import Synchronization

/// The bytes of the list cells a run has made and that are still alive, wherever they are held (a variable,
/// a `Ref`, a channel, another list, a publication): each cell adds its cost when made and takes it back when
/// freed. Atomic because a cell may be freed on another thread (a publication the host drops).
final class ValueMeter: Sendable {
    private let bytes = Atomic<Int>(0)

    var total: Int { bytes.load(ordering: .relaxed) }

    func add(_ count: Int) { bytes.wrappingAdd(count, ordering: .relaxed) }
    func remove(_ count: Int) { bytes.wrappingSubtract(count, ordering: .relaxed) }
}
