/// `Semaphore(n)`: `acquire` blocks at zero (FIFO wake-up), `release` may exceed n.
final class SemaphoreSite: ObjectSite {
    private var count: Int
    private var acquirers = WaitQueue()
    private var snoopers = WaitQueue()

    init(count: Int) {
        self.count = count
        super.init(name: "Semaphore")
    }

    override func method(_ name: String) -> (([OrcValue], SiteCall) -> SiteOutcome)? {
        switch name {
        case "acquire": return { _, call in
            if self.count > 0 { self.count -= 1; return .publish(.signal) }
            self.acquirers.add(call)
            for snooper in self.snoopers.all() { snooper.publish(.signal) }
            return .pending(quiescent: true)
        }
        case "acquireD": return { _, _ in
            if self.count > 0 { self.count -= 1; return .publish(.signal) }
            return .halt
        }
        case "release": return { _, _ in
            if let waiter = self.acquirers.next() { waiter.publish(.signal) } else { self.count += 1 }
            return .publish(.signal)
        }
        case "snoop": return { _, call in
            if !self.acquirers.isEmpty { return .publish(.signal) }
            self.snoopers.add(call)
            return .pending(quiescent: true)
        }
        case "snoopD": return { _, _ in self.acquirers.isEmpty ? .halt : .publish(.signal) }
        default: return nil
        }
    }
}
