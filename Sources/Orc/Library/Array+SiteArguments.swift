extension Array where Element == OrcValue {
    /// Checks the argument count for a site.
    func expect(_ count: Int) -> OrcRuntimeError? {
        self.count == count ? nil : .arity(expected: count, got: self.count)
    }

    /// Checks the argument count for a site whose last arguments are optional (`Ref()`/`Ref(v)`);
    /// the reference names the largest count in its error.
    func expect(atMost count: Int) -> OrcRuntimeError? {
        self.count <= count ? nil : .arity(expected: count, got: self.count)
    }
}
