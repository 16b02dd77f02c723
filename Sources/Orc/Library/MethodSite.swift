/// A site whose behaviour is a Swift closure: the members of state objects (`c.put`, `s.acquire`)
/// and the simple built-ins.
final class MethodSite: Site {
    private let body: ([OrcValue], SiteCall) -> SiteOutcome

    init(name: String, _ body: @escaping ([OrcValue], SiteCall) -> SiteOutcome) {
        self.body = body
        super.init(name: name)
    }

    override func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome { body(arguments, call) }
}
