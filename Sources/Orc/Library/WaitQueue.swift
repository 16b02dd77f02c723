/// Queue of blocked calls, skipping those whose caller was killed meanwhile.
struct WaitQueue {
    private var calls: [SiteCall] = []

    var isEmpty: Bool { calls.allSatisfy { !$0.isWaiting } }

    mutating func add(_ call: SiteCall) { calls.append(call) }

    /// The oldest call whose caller still waits.
    mutating func next() -> SiteCall? {
        while !calls.isEmpty {
            let call = calls.removeFirst()
            if call.isWaiting { return call }
        }
        return nil
    }

    mutating func all() -> [SiteCall] {
        defer { calls = [] }
        return calls.filter(\.isWaiting)
    }
}
