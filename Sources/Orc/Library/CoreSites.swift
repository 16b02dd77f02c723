import Foundation

/// Built-in sites that are neither operators, time nor state: `Let`, `Ift`, `Print`, `Error`,
/// data builders, `MakeSite`, numbers, `Read`/`Write`, `Random`.
enum CoreSites {
    static func all() -> [String: OrcValue] {
        var sites: [String: OrcValue] = [:]
        func site(_ name: String, _ body: @escaping ([OrcValue], SiteCall) -> SiteOutcome) {
            sites[name] = .site(MethodSite(name: name, body))
        }
        site("Let") { arguments, _ in
            switch arguments.count {
            case 0: return .publish(.signal)
            case 1: return .publish(arguments[0])
            default: return .publish(.tuple(arguments))
            }
        }
        site("Ift") { arguments, _ in truth(arguments, "Ift").map { $0 ? .publish(.signal) : .halt } ?? .error(.typeMismatch("Ift", expected: "a boolean", got: arguments.first ?? .null)) }
        site("Iff") { arguments, _ in truth(arguments, "Iff").map { $0 ? .halt : .publish(.signal) } ?? .error(.typeMismatch("Iff", expected: "a boolean", got: arguments.first ?? .null)) }
        site("Error") { arguments, _ in .error(.signalled(arguments.map(\.displayText).joined(separator: ", "))) }
        site("Print") { arguments, call in
            call.interpreter.events.print(arguments.map(\.displayText).joined())
            return .publish(.signal)
        }
        site("Println") { arguments, call in
            call.interpreter.events.print(arguments.map(\.displayText).joined() + "\n")
            return .publish(.signal)
        }
        site("Floor") { arguments, _ in rounding(arguments, "Floor", .down) }
        site("Ceil") { arguments, _ in rounding(arguments, "Ceil", .up) }
        site("Random") { arguments, _ in
            guard arguments.count == 1, case .int(let bound) = arguments[0], bound > 0 else {
                return .error(.typeMismatch("Random", expected: "a positive integer", got: arguments.first ?? .null))
            }
            return .publish(.int(Int.random(in: 0..<bound)))
        }
        site("URandom") { _, _ in .publish(.double(Double.random(in: 0..<1))) }
        site("UUID") { _, _ in .publish(.string(UUID().uuidString.lowercased())) }
        site("Write") { arguments, _ in
            if let error = arguments.expect(1) { return .error(error) }
            return .publish(.string(arguments[0].formatted))
        }
        site("Read") { arguments, _ in
            guard arguments.count == 1, case .string(let text) = arguments[0] else {
                return .error(.typeMismatch("Read", expected: "a string", got: arguments.first ?? .null))
            }
            do throws(OrcParseError) {
                return .publish(try ValueReader.read(text))
            } catch {
                return .error(OrcRuntimeError(kind: "orc.error.runtime.JavaException", message: "Read: \(error.message)"))
            }
        }
        site("MakeSite") { arguments, _ in
            guard arguments.count == 1, case .closure(let closure) = arguments[0] else {
                return .error(.typeMismatch("MakeSite", expected: "a function", got: arguments.first ?? .null))
            }
            return .publish(.site(ClosureSite(closure: closure)))
        }
        sites["Some"] = .site(Constructor(name: "Some", arity: 1))
        sites["None"] = .site(Constructor(name: "None", arity: 0))
        sites["IntegerTimeOrder"] = .site(MethodSite(name: "IntegerTimeOrder") { _, _ in .halt })
        return sites
    }

    private static func truth(_ arguments: [OrcValue], _ name: String) -> Bool? {
        guard arguments.count == 1, case .bool(let flag) = arguments[0] else { return nil }
        return flag
    }

    private static func rounding(_ arguments: [OrcValue], _ name: String, _ rule: FloatingPointRoundingRule) -> SiteOutcome {
        guard arguments.count == 1 else { return .error(.arity(expected: 1, got: arguments.count)) }
        switch arguments[0] {
        case .int, .bigInt: return .publish(arguments[0])
        case .decimal(let decimal):
            let divisor = BigInt(10).power(max(decimal.scale, 0))
            guard decimal.scale > 0 else { return .publish(.integer(decimal.unscaled * BigInt(10).power(-decimal.scale))) }
            let (quotient, remainder) = decimal.unscaled.quotientAndRemainder(dividingBy: divisor)
            var result = quotient
            if !remainder.isZero {
                if rule == .down && decimal.unscaled.negative { result = result - BigInt(1) }
                if rule == .up && !decimal.unscaled.negative { result = result + BigInt(1) }
            }
            return .publish(.integer(result))
        case .double(let value):
            guard value.isFinite else {
                return .error(.java("java.lang.NumberFormatException", "\(name) of \(JavaDouble.format(value))"))
            }
            let rounded = value.rounded(rule)
            if let exact = Int(exactly: rounded) { return .publish(.int(exact)) }
            guard let decimal = BigDecimal(literal: Substring(String(format: "%.0f", rounded))) else {
                return .error(.typeMismatch(name, expected: "a number", got: arguments[0]))
            }
            return .publish(.integer(decimal.unscaled))
        default:
            return .error(.typeMismatch(name, expected: "a number", got: arguments[0]))
        }
    }
}
