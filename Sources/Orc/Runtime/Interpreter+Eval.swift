extension Interpreter {
    /// Runs a token until it blocks, halts, or has used its time slice.
    func step(_ token: Token) {
        var budget = 256
        while case .runnable = token.state {
            budget -= 1
            if budget == 0 { queue.push(token); return }
            switch token.action {
            case .evaluate: evaluate(token)
            case .publish(let value): publish(value, from: token)
            case .halt: halt(token)
            case .enterClause(let closure, let arguments, let index): enter(closure, arguments, clause: index, token)
            case .guardResult(let closure, let arguments, let index, let env, let passed):
                if passed {
                    let clause = closure.function.clauses[index]
                    token.node = clause.body
                    token.env = env
                    token.context = closure.instance
                    token.action = .evaluate
                } else {
                    enter(closure, arguments, clause: index + 1, token)
                }
            }
        }
    }

    // MARK: bindings

    func binding(of atom: Atom, env: Env?, context: GroupInstance?) -> Binding {
        switch atom {
        case .constant(let constant): return .value(constant.value)
        case .local(let depth): return env!.lookup(depth)
        case .capture(let index): return context!.captures[index]
        case .sibling(let index): return .value(.closure(Closure(instance: context!, index: index)))
        case .host(let index): return .value(hostValues[index])
        }
    }

    /// The value of an atom, or nil after blocking the token (unbound) or halting it (dead).
    private func value(of atom: Atom, _ token: Token) -> OrcValue? {
        switch binding(of: atom, env: token.env, context: token.context) {
        case .value(let value): return value
        case .future(let future): return value(of: future, token)
        }
    }

    private func value(of future: Future, _ token: Token) -> OrcValue? {
        switch future.state {
        case .bound(let value): return value
        case .dead: halt(token); return nil
        case .unbound:
            let generation = block(token, quiescent: true)
            future.waiters.append((token, generation))
            return nil
        }
    }

    // MARK: evaluation

    private func evaluate(_ token: Token) {
        switch token.node {
        case .stop:
            halt(token)
        case .constant(let constant):
            token.action = .publish(constant.value)
        case .variable(let atom):
            if let value = value(of: atom, token), isReady(value, token) { token.action = .publish(value) }
        case .call(let target, let arguments, let location):
            guard let callee = value(of: target, token) else { return }
            call(callee, arguments, location, token)
        case .field(let target, let name, _):
            guard let subject = value(of: target, token) else { return }
            access(name, of: subject, token)
        case .parallel(let left, let right):
            spawn(node: right, env: token.env, context: token.context, frames: token.frames, group: token.group, clock: token.clock)
            token.node = left
        case .sequence(let left, let pattern, let right):
            replaceFrames(of: token, with: Frame(.sequence(pattern, right, token.env, token.context), token.frames))
            token.node = left
        case .prune(let left, let pattern, let right):
            let futures = (0..<pattern.bindingCount).map { _ in Future() }
            let group = PruneGroup(parent: token.group, pattern: pattern, futures: futures, env: token.env, context: token.context)
            spawn(node: right, env: token.env, context: token.context, frames: Frame(.group(group), nil), group: group, clock: token.clock)
            for future in futures { token.env = Env(.future(future), token.env) }
            token.node = left
        case .otherwise(let left, let right):
            let group = OtherwiseGroup(parent: token.group, right: right, env: token.env, context: token.context,
                                       frames: token.frames, clock: token.clock)
            move(token, from: token.group, to: group)
            replaceFrames(of: token, with: Frame(.otherwise(group), token.frames))
            token.node = left
        case .defs(let code, let body):
            let captures = code.captureSources.map { binding(of: $0, env: token.env, context: token.context) }
            let instance = GroupInstance(code: code, captures: captures)
            for index in code.functions.indices {
                token.env = Env(.value(.closure(Closure(instance: instance, index: index))), token.env)
            }
            token.node = body
        case .conditional(let condition, let thenBranch, let elseBranch, _):
            guard let value = value(of: condition, token) else { return }
            guard case .bool(let flag) = value else {
                reportError(.typeMismatch("if", expected: "Boolean", got: value), by: token)
                halt(token)
                return
            }
            token.node = flag ? thenBranch : elseBranch
        case .bind(let values, let body):
            for constant in values { token.env = Env(.value(constant.value), token.env) }
            token.node = body
        }
    }

    /// Sends a value to the token's continuation.
    private func publish(_ value: OrcValue, from token: Token) {
        guard let frame = token.frames else {
            events.publish(value)
            halt(token)
            return
        }
        switch frame.kind {
        case .sequence(let pattern, let right, let env, let context):
            var extended = env
            if let pattern, case .constructor(let atom, _, _) = pattern, case .future(let future) = binding(of: atom, env: env, context: context),
               case .unbound = future.state {
                let generation = block(token, quiescent: true)   // the pattern's target is not known yet
                future.waiters.append((token, generation))
                return
            }
            if let pattern, let extractor = userExtractor(pattern, env: env, context: context) {
                // `v >C(p)> G` with a user-defined `C.unapply`: run `C.unapply(v) >p> G`.
                let subpatterns = extractor.subpatterns
                let inner: CorePattern = subpatterns.count == 1 ? subpatterns[0] : (subpatterns.isEmpty ? .wildcard : .tuple(subpatterns))
                token.frames = Frame(.sequence(inner, right, env, context), frame.next)
                token.env = Env(.value(value), Env(.value(extractor.unapply), token.env))
                token.node = .call(.local(1), [.local(0)], extractor.location)
                token.action = .evaluate
                return
            }
            if let pattern {
                guard let values = match(pattern, value, env: env, context: context) else { halt(token); return }
                for bound in values { extended = Env(.value(bound), extended) }
            }
            replaceFrames(of: token, with: frame.next)
            token.env = extended
            token.context = context
            token.node = right
            token.action = .evaluate
        case .group(let group):
            // Publish first: halting first could halt the group and mark its variables dead.
            group.publish(value, by: token, in: self)
            halt(token)
        case .otherwise(let group):
            group.published = true
            if let parent = group.parent, token.group === group { move(token, from: group, to: parent) }
            replaceFrames(of: token, with: frame.next)
        }
    }

    /// A top-level call pattern whose target is not a datatype constructor but has an `unapply`
    /// member (a record `{. unapply = f .}` or a site): the extractor to call.
    private func userExtractor(_ pattern: CorePattern, env: Env?, context: GroupInstance?)
        -> (unapply: OrcValue, subpatterns: [CorePattern], location: SourceLocation)? {
        guard case .constructor(let atom, let subpatterns, let location) = pattern else { return nil }
        let target: OrcValue
        switch binding(of: atom, env: env, context: context) {
        case .value(let value): target = value
        case .future(let future):
            guard case .bound(let value) = future.state else { return nil }
            target = value
        }
        switch target {
        case .record(let record): return record["unapply"].map { ($0, subpatterns, location) }
        case .site(let site) where !(site is Constructor): return site.member("unapply").map { ($0, subpatterns, location) }
        default: return nil
        }
    }

    // MARK: calls

    private func call(_ callee: OrcValue, _ arguments: [Atom], _ location: SourceLocation, _ token: Token) {
        switch callee {
        case .closure(let closure):
            if closure.function.isClass {
                guard let values = strictValues(arguments, token) else { return }
                invoke(ClosureSite(closure: closure), values, token)   // `def class`: a site-like call
                return
            }
            let bindings = arguments.map { binding(of: $0, env: token.env, context: token.context) }
            enter(closure, bindings, clause: 0, token)
        case .site(let site):
            guard let values = strictValues(arguments, token) else { return }
            invoke(site, values, token)
        case .record(let record):
            guard let apply = record["apply"] else {
                reportError(.uncallable(callee), by: token)
                halt(token)
                return
            }
            call(apply, arguments, location, token)
        case .tuple(let items):
            guard let values = strictValues(arguments, token) else { return }
            guard values.count == 1, case .int(let index) = values[0], items.indices.contains(index) else {
                reportError(.uncallable(callee), by: token)
                halt(token)
                return
            }
            token.action = .publish(items[index])
        default:
            reportError(.uncallable(callee), by: token)
            halt(token)
        }
    }

    /// All argument values, or nil after blocking on the first unbound one (or halting on a dead one).
    private func strictValues(_ arguments: [Atom], _ token: Token) -> [OrcValue]? {
        var values: [OrcValue] = []
        values.reserveCapacity(arguments.count)
        var waitingOn: [Future] = []
        for argument in arguments {
            switch binding(of: argument, env: token.env, context: token.context) {
            case .value(let value): values.append(value)
            case .future(let future):
                switch future.state {
                case .bound(let value): values.append(value)
                case .dead: halt(token); return nil   // a dead argument halts the call at once
                case .unbound: waitingOn.append(future)
                }
            }
        }
        if !waitingOn.isEmpty {
            // Wake on any of them: a later dead argument must halt the call without waiting for the rest.
            let generation = block(token, quiescent: true)
            for future in waitingOn { future.waiters.append((token, generation)) }
            return nil
        }
        for value in values where !isReady(value, token) { return nil }
        return values
    }

    /// Strict valuation of closures: a closure used as a value waits until every variable it
    /// captures is bound or dead (a direct call does not wait).
    private func isReady(_ value: OrcValue, _ token: Token) -> Bool {
        guard case .closure(let closure) = value else { return true }
        for case .future(let future) in closure.instance.captures {
            if case .unbound = future.state {
                let generation = block(token, quiescent: true)
                future.waiters.append((token, generation))
                return false
            }
        }
        return true
    }

    func invoke(_ site: Site, _ arguments: [OrcValue], _ token: Token) {
        let generation = block(token, quiescent: false)
        let siteCall = SiteCall(interpreter: self, token: token, generation: generation)
        switch site.call(arguments, siteCall) {
        case .publish(let value):
            token.state = .runnable
            token.action = .publish(value)
        case .halt:
            token.state = .runnable
            token.action = .halt
        case .error(let error):
            reportError(error, by: token)
            token.state = .runnable
            token.action = .halt
        case .pending(let quiescent):
            if quiescent, token.countedBusy { token.clock?.busy -= 1; token.countedBusy = false }
            token.state = .blocked(quiescent: quiescent)
        }
    }

    private func access(_ name: String, of subject: OrcValue, _ token: Token) {
        switch subject {
        case .record(let record):
            if let value = record[name] { token.action = .publish(value); return }
        case .site(let site):
            if let value = site.member(name) { token.action = .publish(value); return }
        case .string(let text):
            if let value = StringMethods.member(name, of: text) { token.action = .publish(value); return }
        default:
            break
        }
        reportError(.noSuchMember(name, of: subject), by: token)
        halt(token)
    }

    /// Tries the clauses of a function from `index` on: strict parameters wait for their argument
    /// and must match, then the guard (if any) must publish `true`.
    private func enter(_ closure: Closure, _ arguments: [Binding], clause index: Int, _ token: Token) {
        let function = closure.function
        guard arguments.count == function.arity else {
            reportError(.arity(expected: function.arity, got: arguments.count), by: token)
            halt(token)
            return
        }
        var clauseIndex = index
        nextClause: while clauseIndex < function.clauses.count {
            let clause = function.clauses[clauseIndex]
            var env: Env?
            for argument in arguments { env = Env(argument, env) }
            var bound: [OrcValue] = []
            for (argumentIndex, pattern) in clause.strictParameters {
                let value: OrcValue
                switch arguments[argumentIndex] {
                case .value(let known): value = known
                case .future(let future):
                    switch future.state {
                    case .bound(let known): value = known
                    case .dead: clauseIndex += 1; continue nextClause
                    case .unbound:
                        token.action = .enterClause(closure, arguments, clauseIndex)
                        let generation = block(token, quiescent: true)
                        future.waiters.append((token, generation))
                        return
                    }
                }
                guard let values = match(pattern, value, env: env, context: closure.instance) else {
                    clauseIndex += 1
                    continue nextClause
                }
                bound += values
            }
            for value in bound { env = Env(.value(value), env) }
            if let guardNode = clause.guardNode {
                startGuard(guardNode, closure, arguments, clauseIndex, env, token)
                return
            }
            token.node = clause.body
            token.env = env
            token.context = closure.instance
            token.action = .evaluate
            return
        }
        halt(token)
    }

    private func startGuard(_ guardNode: Node, _ closure: Closure, _ arguments: [Binding], _ index: Int, _ env: Env?, _ token: Token) {
        let generation = block(token, quiescent: true)
        let caller = SiteCall(interpreter: self, token: token, generation: generation)
        let group = CallbackGroup(parent: token.group, onPublish: { _, _ in }, onHalt: { _ in })
        group.onPublish = { [unowned group] value, interpreter in
            interpreter.kill(group)
            interpreter.wake(caller, .guardResult(closure, arguments, index, env, value == .bool(true)))
        }
        group.onHalt = { interpreter in
            interpreter.wake(caller, .guardResult(closure, arguments, index, env, false))
        }
        spawn(node: guardNode, env: env, context: closure.instance, frames: Frame(.group(group), nil), group: group, clock: token.clock)
    }
}

extension CorePattern {
    /// How many variables the pattern binds.
    var bindingCount: Int {
        switch self {
        case .bind: return 1
        case .wildcard, .literal: return 0
        case .tuple(let items), .list(let items), .constructor(_, let items, _): return items.reduce(0) { $0 + $1.bindingCount }
        case .cons(let head, let tail): return head.bindingCount + tail.bindingCount
        case .record(let fields): return fields.reduce(0) { $0 + $1.1.bindingCount }
        case .alias(let inner): return inner.bindingCount + 1
        }
    }
}
