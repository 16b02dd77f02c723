/// The operator sites: `+ - * / % ** (0-) = /= <: :> <= >= && || ~ :`.
enum OperatorSites {
    static func all() -> [String: OrcValue] {
        var sites: [String: OrcValue] = [:]
        /// An operator that may make a value the run's budget must allow (a string) or count (a list cell).
        func binary(_ name: String, _ body: @escaping (OrcValue, OrcValue, MemoryBudget) throws(OrcRuntimeError) -> OrcValue?) {
            sites[name] = .site(MethodSite(name: name) { arguments, call in
                if let error = arguments.expect(2) { return .error(error) }
                do throws(OrcRuntimeError) {
                    guard let result = try body(arguments[0], arguments[1], call.interpreter.memory) else {
                        return .error(.typeMismatch(name, expected: "operands of matching types", got: .tuple(arguments)))
                    }
                    return .publish(result)
                } catch {
                    return .error(error)
                }
            })
        }
        func binary(_ name: String, _ body: @escaping (OrcValue, OrcValue) throws(OrcRuntimeError) -> OrcValue?) {
            binary(name) { (lhs, rhs, _) throws(OrcRuntimeError) in try body(lhs, rhs) }
        }
        binary("+") { (lhs, rhs, memory) throws(OrcRuntimeError) in
            switch (lhs, rhs) {
            case (.string, _), (_, .string):
                let (left, right) = (lhs.displayText, rhs.displayText)
                // Refused before it is made: a string doubled in a loop ends the run at its budget.
                let bytes = left.utf8.count + right.utf8.count
                guard memory.admits(bytes, for: "a string of \(bytes) bytes") else {
                    throw .java("java.lang.OutOfMemoryError", "a string of \(bytes) bytes does not fit in the memory budget")
                }
                return .string(left + right)
            case (.record(let left), .record(let right)):
                var merged = left
                for field in right.fields { merged[field.key] = field.value }
                return .record(merged)
            default: return Arithmetic.add(lhs, rhs)
            }
        }
        binary("-") { lhs, rhs in Arithmetic.subtract(lhs, rhs) }
        binary("*") { lhs, rhs in Arithmetic.multiply(lhs, rhs) }
        binary("/") { lhs, rhs throws(OrcRuntimeError) in try Arithmetic.divide(lhs, rhs) }
        binary("%") { lhs, rhs throws(OrcRuntimeError) in try Arithmetic.remainder(lhs, rhs) }
        binary("**") { lhs, rhs throws(OrcRuntimeError) in try Arithmetic.power(lhs, rhs) }
        binary("=") { lhs, rhs in .bool(lhs == rhs) }
        binary("/=") { lhs, rhs in .bool(lhs != rhs) }
        binary("<:") { lhs, rhs in order(lhs, rhs).map { .bool($0 < 0) } }
        binary(":>") { lhs, rhs in order(lhs, rhs).map { .bool($0 > 0) } }
        binary("<=") { lhs, rhs in order(lhs, rhs).map { .bool($0 <= 0) } }
        binary(">=") { lhs, rhs in order(lhs, rhs).map { .bool($0 >= 0) } }
        binary("&&") { lhs, rhs in
            guard case .bool(let a) = lhs, case .bool(let b) = rhs else { return nil }
            return .bool(a && b)
        }
        binary("||") { lhs, rhs in
            guard case .bool(let a) = lhs, case .bool(let b) = rhs else { return nil }
            return .bool(a || b)
        }
        // `:` makes a cell the run counts while it lives (`MemoryBudget.values`): a list consed forever,
        // wherever it is kept, ends the run at its memory budget.
        binary(":") { head, tail, memory in
            guard case .list(let list) = tail else { return nil }
            return .list(.cons(head, list, meter: memory.values))
        }
        sites["0-"] = .site(MethodSite(name: "0-") { arguments, _ in
            if let error = arguments.expect(1) { return .error(error) }
            guard let negated = Arithmetic.negate(arguments[0]) else {
                return .error(.typeMismatch("0-", expected: "a number", got: arguments[0]))
            }
            return .publish(negated)
        })
        sites["~"] = .site(MethodSite(name: "~") { arguments, _ in
            if let error = arguments.expect(1) { return .error(error) }
            guard case .bool(let flag) = arguments[0] else { return .error(.typeMismatch("~", expected: "a boolean", got: arguments[0])) }
            return .publish(.bool(!flag))
        })
        sites["?"] = .site(MethodSite(name: "?") { arguments, call in delegate("read", arguments, call) })
        sites[":="] = .site(MethodSite(name: ":=") { arguments, call in delegate("write", arguments, call) })
        return sites
    }

    /// Ordering of numbers, strings and booleans (nil for anything else).
    static func order(_ lhs: OrcValue, _ rhs: OrcValue) -> Int? {
        if let numeric = Arithmetic.compare(lhs, rhs) { return numeric }
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)):
            if a.unicodeScalars.elementsEqual(b.unicodeScalars) { return 0 }
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : 1
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        default: return nil
        }
    }

    /// `r?` and `r := v`: call the `read`/`write` member of the first argument.
    private static func delegate(_ member: String, _ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome {
        guard let target = arguments.first else { return .error(.arity(expected: 1, got: 0)) }
        guard case .site(let site) = target, case .site(let method)? = site.member(member) else {
            if case .record(let record) = target, let method = record[member], case .site(let site) = method {
                return site.call(Array(arguments.dropFirst()), call)
            }
            return .error(.noSuchMember(member, of: target))
        }
        return method.call(Array(arguments.dropFirst()), call)
    }
}
