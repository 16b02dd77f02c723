/// A virtual clock created by `Vclock(IntegerTimeOrder)`: time advances to the earliest `Vawait`
/// only when every token under the clock (and under its nested clocks) is quiescent.
final class VirtualClock {
    let parent: VirtualClock?
    var children: [VirtualClock] = []
    /// Tokens of this very clock that are runnable or blocked on something non-quiescent.
    var busy = 0
    /// Tokens of this very clock that have not halted.
    var live = 0
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

    /// No busy token in this clock, and no nested clock has a live token: as orc.jar behaves
    /// (tests `Orc25`, `nested_vclock`), a nested simulation holds its parent's time until it ends,
    /// while timers (`Rwait`) do not hold time.
    var quiescent: Bool {
        if busy > 0 { return false }
        var stack = children
        while let clock = stack.popLast() {
            if clock.live > 0 { return false }
            stack.append(contentsOf: clock.children)
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
