/// A native service callable from Orc (operators, `Println`, `Channel`, …) or a value with
/// members (`c.put`). Subclasses override `call` and/or `member`.
public class Site {
    public let name: String

    init(name: String) { self.name = name }

    func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome {
        .error(.uncallable(.site(self)))
    }

    func member(_ name: String) -> OrcValue? { nil }

    /// When the site is the `unapply` of a call pattern: the extracted value(s), or nil (no match).
    func extract(_ value: OrcValue) -> OrcValue? { nil }
}
