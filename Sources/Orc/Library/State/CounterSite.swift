/// `Counter(n)`: `inc`, `dec` (error below zero), `onZero` (blocks until zero), `value`.
final class CounterSite: ObjectSite {
    private var count: Int
    private var zeroWaiters = WaitQueue()

    init(count: Int) {
        self.count = count
        super.init(name: "Counter")
    }

    override func method(_ name: String) -> (([OrcValue], SiteCall) -> SiteOutcome)? {
        switch name {
        case "inc": return { _, _ in self.count += 1; return .publish(.signal) }
        case "dec": return { _, _ in
            guard self.count > 0 else { return .halt }
            self.count -= 1
            if self.count == 0 { for waiter in self.zeroWaiters.all() { waiter.publish(.signal) } }
            return .publish(.signal)
        }
        case "onZero": return { _, call in
            if self.count == 0 { return .publish(.signal) }
            self.zeroWaiters.add(call)
            return .pending(quiescent: true)
        }
        case "value": return { _, _ in .publish(.int(self.count)) }
        default: return nil
        }
    }
}
