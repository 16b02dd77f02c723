/// A read-only reference (a JVM field read with `?`, such as `a.length?`); calling it also reads.
final class ConstantRef: ObjectSite {
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
