/// `Ref()`/`Ref(v)` (rewritable) and `Cell()` (write-once): `read` blocks until there is a value.
final class RefSite: ObjectSite {
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
