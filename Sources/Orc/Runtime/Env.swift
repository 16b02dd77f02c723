/// A persistent (shared, immutable) linked environment; index 0 is the innermost binding.
final class Env {
    let binding: Binding
    let next: Env?

    init(_ binding: Binding, _ next: Env?) {
        self.binding = binding
        self.next = next
    }

    func lookup(_ depth: Int) -> Binding {
        var node = self
        for _ in 0..<depth { node = node.next! }
        return node.binding
    }
}
