/// A set of running tokens and subgroups that can be killed together (pruning) and whose
/// halting (no member left) can be observed (`;`, pruning with a silent right side).
class Group {
    let parent: Group?
    /// Live members: tokens plus child groups.
    var memberCount = 0
    var isAlive = true
    /// Intrusive list of member tokens (for killing).
    var firstToken: Token?
    /// Intrusive list of child groups (for killing): the parent holds the first, each the next.
    var firstChild: Group?
    var nextSibling: Group?
    unowned(unsafe) var previousSibling: Group?

    init(parent: Group?) {
        self.parent = parent
        if let parent {
            parent.memberCount += 1
            nextSibling = parent.firstChild
            parent.firstChild?.previousSibling = self
            parent.firstChild = self
        }
    }

    /// Removes this group from its parent's child list (not from its member count).
    func detachFromParent() {
        guard let parent else { return }
        if let previous = previousSibling {
            previous.nextSibling = nextSibling
        } else if parent.firstChild === self {
            parent.firstChild = nextSibling
        } else {
            return   // already detached
        }
        nextSibling?.previousSibling = previousSibling
        nextSibling = nil
        previousSibling = nil
    }

    func link(_ token: Token) {
        memberCount += 1
        token.nextInGroup = firstToken
        token.previousInGroup = nil
        firstToken?.previousInGroup = token
        firstToken = token
    }

    /// Removes the token from the member list without touching the count.
    func unlink(_ token: Token) {
        if let previous = token.previousInGroup { previous.nextInGroup = token.nextInGroup } else { firstToken = token.nextInGroup }
        token.nextInGroup?.previousInGroup = token.previousInGroup
        token.nextInGroup = nil
        token.previousInGroup = nil
    }

    /// A publication that reached this group's frame. Default: nothing.
    func publish(_ value: OrcValue, by token: Token, in interpreter: Interpreter) {}

    /// Every member has halted (the group was not killed).
    func halted(in interpreter: Interpreter) {}
}
