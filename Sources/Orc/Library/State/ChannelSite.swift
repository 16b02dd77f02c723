/// `Channel()` and `BoundedChannel(n)`: a FIFO queue with blocking `get` (and blocking `put` when bounded).
final class ChannelSite: ObjectSite {
    private let bound: Int?
    private var items: [OrcValue] = []
    private var getters = WaitQueue()
    private var putters: [(OrcValue, SiteCall)] = []
    private var closers = WaitQueue()
    private var closed = false
    /// The run's budget, charged per element held, a string with its bytes (`items`; waiting putters are
    /// counted as tokens).
    private let memory: MemoryBudget

    init(bound: Int?, memory: MemoryBudget) {
        self.bound = bound
        self.memory = memory
        super.init(name: bound == nil ? "Channel" : "BoundedChannel")
    }

    deinit { memory.release(items.reduce(0) { $0 + MemoryBudget.cost(of: $1) }) }

    private var hasRoom: Bool { bound.map { items.count < $0 } ?? true }

    override func method(_ name: String) -> (([OrcValue], SiteCall) -> SiteOutcome)? {
        switch name {
        case "get": return { _, call in self.get(call, blocking: true) }
        case "getD": return { _, call in self.get(call, blocking: false) }
        case "put": return { arguments, call in self.put(arguments, call, blocking: true) }
        case "putD": return { arguments, call in self.put(arguments, call, blocking: false) }
        case "getAll": return { _, _ in
            let all = self.items
            self.memory.release(all.reduce(0) { $0 + MemoryBudget.cost(of: $1) })
            self.items = []
            while let (value, putter) = self.nextPutter() { self.store(value); putter.publish(.signal) }
            self.drained()
            return .publish(.list(.of(all, meter: self.memory.values)))
        }
        case "isClosed": return { _, _ in .publish(.bool(self.closed)) }
        case "getBound": return { _, _ in .publish(self.bound.map { .int($0) } ?? .null) }
        case "getOpen": return { _, _ in .publish(self.bound.map { .int($0 - self.items.count) } ?? .null) }
        case "close": return { _, call in
            self.close()
            if self.items.isEmpty { return .publish(.signal) }
            self.closers.add(call)
            return .pending(quiescent: true)
        }
        case "closeD": return { _, _ in self.close(); return .publish(.signal) }
        default: return nil
        }
    }

    private func nextPutter() -> (OrcValue, SiteCall)? {
        while !putters.isEmpty {
            let (value, call) = putters.removeFirst()
            if call.isWaiting { return (value, call) }
        }
        return nil
    }

    private func get(_ call: SiteCall, blocking: Bool) -> SiteOutcome {
        if !items.isEmpty {
            let value = items.removeFirst()
            memory.release(MemoryBudget.cost(of: value))
            if let (waiting, putter) = nextPutter() { store(waiting); putter.publish(.signal) }
            drained()
            return .publish(value)
        }
        if let (value, putter) = nextPutter() {   // a zero-slot channel hands over directly
            putter.publish(.signal)
            return .publish(value)
        }
        if closed || !blocking { return .halt }
        getters.add(call)
        return .pending(quiescent: true)
    }

    private func put(_ arguments: [OrcValue], _ call: SiteCall, blocking: Bool) -> SiteOutcome {
        if let error = arguments.expect(1) { return .error(error) }
        if closed { return .halt }
        if let getter = getters.next() {
            getter.publish(arguments[0])
            return .publish(.signal)
        }
        if hasRoom {
            store(arguments[0])
            return .publish(.signal)
        }
        if !blocking { return .halt }
        putters.append((arguments[0], call))
        return .pending(quiescent: true)
    }

    private func store(_ value: OrcValue) {
        items.append(value)
        memory.charge(MemoryBudget.cost(of: value))
    }

    private func close() {
        closed = true
        for getter in getters.all() { getter.halt() }
    }

    private func drained() {
        if items.isEmpty && closed { for closer in closers.all() { closer.publish(.signal) } }
    }
}
