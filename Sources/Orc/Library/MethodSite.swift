/// A site whose behaviour is a Swift closure: the members of state objects (`c.put`, `s.acquire`)
/// and the simple built-ins.
final class MethodSite: Site, @unchecked Sendable {
    private let body: ([OrcValue], SiteCall) -> SiteOutcome

    init(name: String, _ body: @escaping ([OrcValue], SiteCall) -> SiteOutcome) {
        self.body = body
        super.init(name: name)
    }

    override func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome { body(arguments, call) }
}

/// A site object with named methods (a channel, a semaphore, …).
class ObjectSite: Site, @unchecked Sendable {
    /// The methods, by name; built lazily by subclasses.
    func method(_ name: String) -> (([OrcValue], SiteCall) -> SiteOutcome)? { nil }

    override func member(_ name: String) -> OrcValue? {
        guard let body = method(name) else { return nil }
        return .site(MethodSite(name: "\(self.name).\(name)", body))
    }
}

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

extension Array where Element == OrcValue {
    /// Checks the argument count for a site.
    func expect(_ count: Int) -> OrcRuntimeError? {
        self.count == count ? nil : .arity(expected: count, got: self.count)
    }
}
