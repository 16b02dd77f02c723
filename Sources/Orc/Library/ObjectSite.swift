/// A site object with named methods (a channel, a semaphore, …).
class ObjectSite: Site {
    /// The methods, by name; built lazily by subclasses.
    func method(_ name: String) -> (([OrcValue], SiteCall) -> SiteOutcome)? { nil }

    override func member(_ name: String) -> OrcValue? {
        guard let body = method(name) else { return nil }
        return .site(MethodSite(name: "\(self.name).\(name)", body))
    }
}
