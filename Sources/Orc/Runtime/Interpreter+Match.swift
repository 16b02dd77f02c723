extension Interpreter {
    /// Matches a value against a pattern; returns the bound values in binding order, or nil.
    func match(_ pattern: CorePattern, _ value: OrcValue, env: Env?, context: GroupInstance?) -> [OrcValue]? {
        var bound: [OrcValue] = []
        return matchInto(pattern, value, env: env, context: context, &bound) ? bound : nil
    }

    private func matchInto(_ pattern: CorePattern, _ value: OrcValue, env: Env?, context: GroupInstance?, _ bound: inout [OrcValue]) -> Bool {
        switch pattern {
        case .bind:
            bound.append(value)
            return true
        case .wildcard:
            return true
        case .literal(let literal):
            return literal.value == value
        case .tuple(let patterns):
            guard case .tuple(let items) = value, items.count == patterns.count else { return false }
            return zip(patterns, items).allSatisfy { matchInto($0, $1, env: env, context: context, &bound) }
        case .list(let patterns):
            guard case .list(let list) = value, list.count == patterns.count else { return false }
            return zip(patterns, list).allSatisfy { matchInto($0, $1, env: env, context: context, &bound) }
        case .cons(let headPattern, let tailPattern):
            guard case .list(let list) = value, let head = list.head, let tail = list.tail else { return false }
            return matchInto(headPattern, head, env: env, context: context, &bound)
                && matchInto(tailPattern, .list(tail), env: env, context: context, &bound)
        case .record(let fields):
            guard case .record(let record) = value else { return false }
            for (key, fieldPattern) in fields {
                guard let fieldValue = record[key], matchInto(fieldPattern, fieldValue, env: env, context: context, &bound) else { return false }
            }
            return true
        case .constructor(let atom, let patterns, _):
            let target: OrcValue
            switch binding(of: atom, env: env, context: context) {
            case .value(let value): target = value
            case .future(let future):
                guard case .bound(let value) = future.state else { return false }
                target = value
            }
            switch target {
            case .site(let site as Constructor):
                guard case .data(let built, let items) = value, built === site, items.count == patterns.count else { return false }
                return zip(patterns, items).allSatisfy { matchInto($0, $1, env: env, context: context, &bound) }
            case .site(let site):
                // A native site with an `unapply` member (e.g. a prelude extractor).
                guard let unapply = site.member("unapply"), case .site(let extractor) = unapply,
                      let result = extractor.extract(value) else { return false }
                return matchExtracted(patterns, result, env: env, context: context, &bound)
            default:
                return false
            }
        case .alias(let inner):
            guard matchInto(inner, value, env: env, context: context, &bound) else { return false }
            bound.append(value)
            return true
        }
    }

    private func matchExtracted(_ patterns: [CorePattern], _ result: OrcValue, env: Env?, context: GroupInstance?, _ bound: inout [OrcValue]) -> Bool {
        if patterns.count == 1 { return matchInto(patterns[0], result, env: env, context: context, &bound) }
        guard case .tuple(let items) = result, items.count == patterns.count else {
            return patterns.isEmpty
        }
        return zip(patterns, items).allSatisfy { matchInto($0, $1, env: env, context: context, &bound) }
    }
}

