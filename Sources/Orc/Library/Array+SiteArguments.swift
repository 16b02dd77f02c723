extension Array where Element == OrcValue {
    /// Checks the argument count for a site.
    func expect(_ count: Int) -> OrcRuntimeError? {
        self.count == count ? nil : .arity(expected: count, got: self.count)
    }
}
