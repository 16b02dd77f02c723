import Foundation

/// Runs one Orc program: a single-threaded scheduler of tokens (no Swift recursion per Orc call,
/// so deep and tail recursion cost heap, not stack), with timers, virtual clocks and a mailbox
/// for answers from host sites. Lives on its own thread; see `OrcRun` for the public face.
final class Interpreter {
    let root = RootGroup()
    let events: OrcRunEvents
    let hostValues: [OrcValue]
    let virtualTime: Bool
    let limits: OrcRunLimits
    let mailbox: Mailbox
    let memory: MemoryBudget
    /// Host calls in flight, by the number their reply comes back with.
    private var hostCalls: [Int: SiteCall] = [:]
    private var nextHostCallNumber = 0
    /// Reads blocked on host streams, oldest first, by stream (see Interpreter+Streams).
    var streamReaders: [ObjectIdentifier: (stream: OrcStream, calls: [SiteCall])] = [:]
    var queue = TokenQueue()
    var timers = TimerQueue()
    var clocks: [VirtualClock] = []
    /// Host calls and host-stream reads still in flight: the run cannot be stuck while any exist.
    var pendingExternal = 0
    var virtualNow = 0
    /// The origin of `Rtime()`: when the run started (monotonic clock).
    private var startedAt = ContinuousClock.now
    private var halted = false
    /// Tokens not yet halted or killed (checked against `limits.maxTokens`).
    private var liveTokens = 0
    private var exceededLimit: String?

    init(events: OrcRunEvents, hostValues: [OrcValue], virtualTime: Bool, limits: OrcRunLimits, mailbox: Mailbox) {
        self.events = events
        self.mailbox = mailbox
        self.hostValues = hostValues
        self.virtualTime = virtualTime
        self.limits = limits
        memory = MemoryBudget(limit: limits.maxMemory)
        root.onHalted = { [unowned self] in self.halted = true }
    }

    /// Milliseconds since the start of the run (virtual in virtual-time mode).
    var now: Int {
        if virtualTime { return virtualNow }
        let elapsed = ContinuousClock.now - startedAt
        return Int(elapsed.components.seconds) * 1000 + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    // MARK: running

    func run(_ program: Node) -> OrcRunOutcome {
        startedAt = ContinuousClock.now
        spawn(node: program, env: nil, context: nil, frames: nil, group: root, clock: nil)
        while true {
            if processMailbox() { kill(root); return .killed }
            runQueue()
            if let reason = exceededLimit ?? (memory.isOver ? memory.overrunReason : nil) {
                kill(root)
                return .limitExceeded(reason)
            }
            if halted { return .halted }
            if queue.count > 0 { continue }
            if advanceVirtualClocks() { continue }
            if let deadline = timers.nextDeadline() {
                if virtualTime {
                    // Jump only when no host call or stream read is pending: their answers come
                    // in real time, and must not be overtaken by a jump.
                    if pendingExternal > 0 { mailbox.wait(until: nil); continue }
                    virtualNow = max(virtualNow, deadline)
                    fireTimers()
                    continue
                }
                if deadline <= now { fireTimers(); continue }
                mailbox.wait(until: Date().addingTimeInterval(Double(deadline - now) / 1000))
                continue
            }
            if pendingExternal > 0 { mailbox.wait(until: nil); continue }
            return .blockedForever
        }
    }

    private func runQueue() {
        var steps = 0
        while let token = queue.pop() {
            step(token)
            steps += 1
            if steps & 0x3FF == 0, mailbox.hasEvents || exceededLimit != nil || memory.isOver { return }
        }
    }

    private func fireTimers() {
        let current = now
        while let deadline = timers.nextDeadline(), deadline <= current, let entry = timers.popFirst() {
            entry.call.publish(.signal)
        }
    }

    private func advanceVirtualClocks() -> Bool {
        var advanced = false
        for clock in clocks where !clock.waiters.isEmpty && clock.quiescent {
            if clock.advance() { advanced = true }
        }
        if !advanced {
            // Forget finished simulations: a clock without tokens can get no new waiter.
            clocks.removeAll { $0.live == 0 && $0.waiters.isEmpty }
            for clock in clocks { clock.children.removeAll { $0.live == 0 && $0.waiters.isEmpty && $0.children.isEmpty } }
        }
        return advanced
    }

    /// Handles host replies and kill requests; true when the run must be killed.
    private func processMailbox() -> Bool {
        for event in mailbox.take() {
            switch event {
            case .kill: return true
            case .hostReply(let number, let outcome):
                pendingExternal -= 1
                guard let call = hostCalls.removeValue(forKey: number) else { continue }
                switch outcome {
                case .publish(let value): call.publish(value)
                case .halt: call.halt()
                case .error(let error): call.fail(error)
                }
            case .streamReady(let stream):
                deliver(stream)
            }
        }
        return false
    }

    /// Records a host call about to run on another thread; its reply names it by the number returned.
    func registerHostCall(_ call: SiteCall) -> Int {
        pendingExternal += 1
        nextHostCallNumber += 1
        hostCalls[nextHostCallNumber] = call
        return nextHostCallNumber
    }

    // MARK: tokens

    @discardableResult
    func spawn(node: Node, env: Env?, context: GroupInstance?, frames: Frame?, group: Group, clock: VirtualClock?) -> Token {
        let token = Token(node: node, env: env, context: context, frames: frames, group: group, clock: clock)
        group.link(token)
        liveTokens += 1
        memory.charge(MemoryBudget.tokenCost + (frames?.depth ?? 0) * MemoryBudget.frameCost)
        if let maximum = limits.maxTokens, liveTokens > maximum, exceededLimit == nil {
            exceededLimit = "more than \(maximum) concurrent tokens (runaway recursion or fan-out?)"
        }
        if let clock { clock.busy += 1; clock.live += 1; token.countedBusy = true }
        queue.push(token)
        return token
    }

    /// A live token's continuation changes: the budget follows the change of its length.
    func replaceFrames(of token: Token, with frames: Frame?) {
        memory.charge(((frames?.depth ?? 0) - (token.frames?.depth ?? 0)) * MemoryBudget.frameCost)
        token.frames = frames
    }

    private func releaseMemory(of token: Token) {
        memory.release(MemoryBudget.tokenCost + (token.frames?.depth ?? 0) * MemoryBudget.frameCost)
    }

    /// The token stops for good (halted, or published its last value).
    func halt(_ token: Token) {
        guard !token.isDone else { return }
        token.state = .done
        if token.countedBusy { token.clock?.busy -= 1; token.countedBusy = false }
        token.clock?.live -= 1
        liveTokens -= 1
        releaseMemory(of: token)
        let group = token.group
        group.unlink(token)
        memberGone(from: group)
    }

    /// One member of the group went away; halts the group (and maybe its ancestors) when empty.
    func memberGone(from group: Group) {
        var current: Group? = group
        while let group = current {
            group.memberCount -= 1
            guard group.memberCount == 0, group.isAlive else { return }
            group.isAlive = false
            group.halted(in: self)
            group.detachFromParent()
            current = group.parent
        }
    }

    /// Kills the group, its tokens (cancelling their pending calls and timers) and subgroups.
    func kill(_ group: Group) {
        guard group.isAlive else { return }
        var stack: [Group] = [group]
        while let victim = stack.popLast() {
            victim.isAlive = false
            while let token = victim.firstToken {
                victim.unlink(token)
                token.state = .done
                if token.countedBusy { token.clock?.busy -= 1; token.countedBusy = false }
                token.clock?.live -= 1
                liveTokens -= 1
                releaseMemory(of: token)
                token.generation += 1
                if let cancel = token.cancelPending { token.cancelPending = nil; cancel() }
            }
            while let child = victim.firstChild {
                child.detachFromParent()
                stack.append(child)
            }
        }
        if let parent = group.parent {
            group.detachFromParent()
            memberGone(from: parent)
        }
    }

    /// Moves a token that published out of the left side of `;` into the enclosing group.
    func move(_ token: Token, from group: Group, to parent: Group) {
        group.unlink(token)
        token.group = parent
        parent.link(token)
        memberGone(from: group)
    }

    /// Blocks the token; returns the generation that a wake-up must carry.
    func block(_ token: Token, quiescent: Bool) -> Int {
        token.generation += 1
        token.state = .blocked(quiescent: quiescent)
        if quiescent, token.countedBusy { token.clock?.busy -= 1; token.countedBusy = false }
        return token.generation
    }

    func wake(_ call: SiteCall, _ action: Token.Action) {
        guard call.isWaiting else { return }
        resume(call.token, action)
    }

    private func resume(_ token: Token, _ action: Token.Action) {
        token.state = .runnable
        token.action = action
        token.cancelPending = nil
        if !token.countedBusy, let clock = token.clock { clock.busy += 1; token.countedBusy = true }
        queue.push(token)
    }

    func resolve(_ future: Future, to state: Future.State) {
        guard case .unbound = future.state else { return }
        future.state = state
        let waiters = future.waiters
        future.waiters = []
        for (token, generation) in waiters where token.generation == generation {
            if case .blocked = token.state { resume(token, token.action) }
        }
    }

    /// Reports a site error with the source location of the call that raised it.
    func reportError(_ error: OrcRuntimeError, by token: Token) {
        var located = error
        located.location = located.location ?? token.node.location
        events.error(located)
    }
}
