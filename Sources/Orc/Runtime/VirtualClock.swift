/// A virtual clock created by `Vclock(IntegerTimeOrder)`: time advances to the earliest `Vawait`
/// only when every token under the clock (and under its nested clocks) is quiescent.
final class VirtualClock {
    let parent: VirtualClock?
    var children: [VirtualClock] = []
    /// Tokens of this very clock that are runnable or blocked on something non-quiescent.
    var busy = 0
    var now: Int?
    /// Waiting `Vawait` calls: (time, arrival order, call).
    var waiters: [(time: Int, order: Int, call: SiteCall)] = []
    private var arrivals = 0

    init(parent: VirtualClock?) {
        self.parent = parent
        parent?.children.append(self)
    }

    func await(_ time: Int, _ call: SiteCall) {
        arrivals += 1
        waiters.append((time, arrivals, call))
    }

    /// No busy token in this clock or below, and no nested clock still has waiters.
    var subtreeQuiescent: Bool {
        var stack: [VirtualClock] = [self]
        while let clock = stack.popLast() {
            if clock.busy > 0 { return false }
            for child in clock.children {
                if !child.waiters.isEmpty && child.waiters.contains(where: { $0.call.isWaiting }) { return false }
                stack.append(child)
            }
        }
        return true
    }

    /// Advances to the earliest waiting time; the first waiter there gets `true`, the others `false`.
    /// Returns false when there was nothing to wake.
    func advance() -> Bool {
        waiters.removeAll { !$0.call.isWaiting }
        guard let earliest = waiters.min(by: { ($0.time, $0.order) < ($1.time, $1.order) }) else { return false }
        now = earliest.time
        let due = waiters.filter { $0.time == earliest.time }.sorted { $0.order < $1.order }
        waiters.removeAll { $0.time == earliest.time }
        for (index, waiter) in due.enumerated() { waiter.call.publish(.bool(index == 0)) }
        return true
    }
}
