/// What a publication does next: the continuation stack of a token (persistent, shared by forks).
final class Frame {
    enum Kind {
        /// `>P>`: run the right side with the pattern's bindings.
        case sequence(CorePattern?, Node, Env?, GroupInstance?)
        /// Publication of the right side of a pruning, a guard, `MakeSite`…: handled by the group.
        case group(Group)
        /// Leaving the left side of `;`: it has published.
        case otherwise(OtherwiseGroup)
    }

    let kind: Kind
    let next: Frame?
    /// Frames in the chain from this one (counted against the run's memory budget).
    let depth: Int

    init(_ kind: Kind, _ next: Frame?) {
        self.kind = kind
        self.next = next
        self.depth = (next?.depth ?? 0) + 1
    }
}
