/// Pending `Rwait` timers ordered by deadline, then by arrival (a binary heap).
struct TimerQueue {
    struct Entry {
        var deadline: Int
        var order: Int
        var call: SiteCall
    }

    private var heap: [Entry] = []
    private var arrivals = 0

    var isEmpty: Bool { heap.isEmpty }

    mutating func add(deadline: Int, call: SiteCall) {
        arrivals += 1
        heap.append(Entry(deadline: deadline, order: arrivals, call: call))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// The earliest deadline of a timer whose call is still waiting (dropping cancelled ones).
    mutating func nextDeadline() -> Int? {
        while let first = heap.first, !first.call.isWaiting { _ = popFirst() }
        return heap.first?.deadline
    }

    mutating func popFirst() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && precedes(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count && precedes(heap[right], heap[smallest]) { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }

    private func precedes(_ a: Entry, _ b: Entry) -> Bool { (a.deadline, a.order) < (b.deadline, b.order) }
}
