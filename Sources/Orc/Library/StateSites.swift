/// The state sites: `Channel`, `BoundedChannel`, `Cell`, `Ref`, `Semaphore`, `Counter`, `Array`,
/// `Dictionary`. Blocking operations are quiescent (virtual clocks may advance past them).
enum StateSites {
    static func all() -> [String: OrcValue] {
        var sites: [String: OrcValue] = [:]
        func factory(_ name: String, _ make: @escaping ([OrcValue]) -> SiteOutcome) {
            sites[name] = .site(MethodSite(name: name) { arguments, _ in make(arguments) })
        }
        factory("Channel") { _ in .publish(.site(ChannelSite(bound: nil))) }
        factory("BoundedChannel") { arguments in
            guard arguments.count == 1, case .int(let bound) = arguments[0], bound >= 0 else {
                return .error(.typeMismatch("BoundedChannel", expected: "a non-negative integer", got: arguments.first ?? .null))
            }
            return .publish(.site(ChannelSite(bound: bound)))
        }
        factory("Cell") { _ in .publish(.site(RefSite(name: "Cell", writeOnce: true, initial: nil))) }
        factory("Ref") { arguments in .publish(.site(RefSite(name: "Ref", writeOnce: false, initial: arguments.first))) }
        factory("Semaphore") { arguments in
            guard arguments.count == 1, case .int(let count) = arguments[0] else {
                return .error(.typeMismatch("Semaphore", expected: "an integer", got: arguments.first ?? .null))
            }
            guard count >= 0 else {
                return .error(.java("java.lang.IllegalArgumentException", "Semaphore requires a non-negative argument"))
            }
            return .publish(.site(SemaphoreSite(count: count)))
        }
        factory("Counter") { arguments in
            var initial = 0
            if let first = arguments.first, case .int(let count) = first { initial = count }
            return .publish(.site(CounterSite(count: initial)))
        }
        factory("Array") { arguments in
            guard arguments.count >= 1, case .int(let size) = arguments[0], size >= 0 else {
                return .error(.typeMismatch("Array", expected: "a non-negative size", got: arguments.first ?? .null))
            }
            return .publish(.site(ArraySite(size: size)))
        }
        factory("Dictionary") { _ in .publish(.site(DictionarySite())) }
        return sites
    }
}

/// `Channel()` and `BoundedChannel(n)`: a FIFO queue with blocking `get` (and blocking `put` when bounded).
final class ChannelSite: ObjectSite, @unchecked Sendable {
    private let bound: Int?
    private var items: [OrcValue] = []
    private var getters = WaitQueue()
    private var putters: [(OrcValue, SiteCall)] = []
    private var closers = WaitQueue()
    private var closed = false

    init(bound: Int?) {
        self.bound = bound
        super.init(name: bound == nil ? "Channel" : "BoundedChannel")
    }

    private var hasRoom: Bool { bound.map { items.count < $0 } ?? true }

    override func method(_ name: String) -> (([OrcValue], SiteCall) -> SiteOutcome)? {
        switch name {
        case "get": return { _, call in self.get(call, blocking: true) }
        case "getD": return { _, call in self.get(call, blocking: false) }
        case "put": return { arguments, call in self.put(arguments, call, blocking: true) }
        case "putD": return { arguments, call in self.put(arguments, call, blocking: false) }
        case "getAll": return { _, _ in
            let all = self.items
            self.items = []
            while let (value, putter) = self.nextPutter() { self.items.append(value); putter.publish(.signal) }
            self.drained()
            return .publish(.list(OrcList(all)))
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
            if let (waiting, putter) = nextPutter() { items.append(waiting); putter.publish(.signal) }
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
            items.append(arguments[0])
            return .publish(.signal)
        }
        if !blocking { return .halt }
        putters.append((arguments[0], call))
        return .pending(quiescent: true)
    }

    private func close() {
        closed = true
        for getter in getters.all() { getter.halt() }
    }

    private func drained() {
        if items.isEmpty && closed { for closer in closers.all() { closer.publish(.signal) } }
    }
}

/// `Ref()`/`Ref(v)` (rewritable) and `Cell()` (write-once): `read` blocks until there is a value.
final class RefSite: ObjectSite, @unchecked Sendable {
    private let writeOnce: Bool
    private var value: OrcValue?
    private var readers = WaitQueue()

    init(name: String, writeOnce: Bool, initial: OrcValue?) {
        self.writeOnce = writeOnce
        self.value = initial
        super.init(name: name)
    }

    override func method(_ name: String) -> (([OrcValue], SiteCall) -> SiteOutcome)? {
        switch name {
        case "read": return { _, call in
            if let value = self.value { return .publish(value) }
            self.readers.add(call)
            return .pending(quiescent: true)
        }
        case "readD": return { _, _ in self.value.map { .publish($0) } ?? .halt }
        case "write": return { arguments, _ in
            if let error = arguments.expect(1) { return .error(error) }
            if self.writeOnce && self.value != nil { return .halt }
            self.value = arguments[0]
            for reader in self.readers.all() { reader.publish(arguments[0]) }
            return .publish(.signal)
        }
        default: return nil
        }
    }
}

/// `Semaphore(n)`: `acquire` blocks at zero (FIFO wake-up), `release` may exceed n.
final class SemaphoreSite: ObjectSite, @unchecked Sendable {
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

/// `Counter(n)`: `inc`, `dec` (error below zero), `onZero` (blocks until zero), `value`.
final class CounterSite: ObjectSite, @unchecked Sendable {
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

/// `Array(n)`: `a(i)` is a reference to slot i (`a(i)?`, `a(i) := v`); `a.length?` is the size.
final class ArraySite: ObjectSite, @unchecked Sendable {
    private var slots: [OrcValue]

    init(size: Int) {
        slots = Array(repeating: .null, count: size)
        super.init(name: "Array")
    }

    private func index(_ arguments: [OrcValue]) -> Int? {
        guard let first = arguments.first, case .int(let index) = first, slots.indices.contains(index) else { return nil }
        return index
    }

    private func outOfBounds(_ arguments: [OrcValue]) -> SiteOutcome {
        .error(.java("java.lang.ArrayIndexOutOfBoundsException", arguments.first?.formatted ?? "missing index"))
    }

    override func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome {
        guard let index = index(arguments) else { return outOfBounds(arguments) }
        return .publish(.site(SlotSite(array: self, index: index)))
    }

    override func method(_ name: String) -> (([OrcValue], SiteCall) -> SiteOutcome)? {
        switch name {
        case "get": return { arguments, _ in
            guard let index = self.index(arguments) else { return self.outOfBounds(arguments) }
            return .publish(self.slots[index])
        }
        case "set": return { arguments, _ in
            guard arguments.count == 2, let index = self.index(arguments) else { return self.outOfBounds(arguments) }
            self.slots[index] = arguments[1]
            return .publish(.signal)
        }
        case "length": return { _, _ in .publish(.int(self.slots.count)) }
        default: return nil
        }
    }

    override func member(_ name: String) -> OrcValue? {
        if name == "length" { return .site(ConstantRef(value: .int(slots.count))) }
        return super.member(name)
    }

    /// One element of an array, used as a reference.
    final class SlotSite: ObjectSite, @unchecked Sendable {
        let array: ArraySite
        let index: Int

        init(array: ArraySite, index: Int) {
            self.array = array
            self.index = index
            super.init(name: "Array slot")
        }

        override func method(_ name: String) -> (([OrcValue], SiteCall) -> SiteOutcome)? {
            switch name {
            case "read", "readD": return { _, _ in .publish(self.array.slots[self.index]) }
            case "write": return { arguments, _ in
                if let error = arguments.expect(1) { return .error(error) }
                self.array.slots[self.index] = arguments[0]
                return .publish(.signal)
            }
            default: return nil
            }
        }
    }
}

/// A read-only reference (a JVM field read with `?`, such as `a.length?`); calling it also reads.
final class ConstantRef: ObjectSite, @unchecked Sendable {
    let value: OrcValue

    init(value: OrcValue) {
        self.value = value
        super.init(name: "field")
    }

    override func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome { .publish(value) }

    override func method(_ name: String) -> (([OrcValue], SiteCall) -> SiteOutcome)? {
        name == "read" || name == "readD" ? { [value] _, _ in .publish(value) } : nil
    }
}

/// `Dictionary()`: `d.k` is a `Ref` created on first access.
final class DictionarySite: ObjectSite, @unchecked Sendable {
    private var entries: [String: RefSite] = [:]

    init() { super.init(name: "Dictionary") }

    override func member(_ name: String) -> OrcValue? {
        if let existing = entries[name] { return .site(existing) }
        let ref = RefSite(name: "Ref", writeOnce: false, initial: nil)
        entries[name] = ref
        return .site(ref)
    }
}
