import WSECore

/// Turns an upstream JSON body into the `data` WSE gets, by configuration:
///
/// - `"/json/pointer"`: the value there (`"/pointer?"` when it may be missing: the member is then left out);
/// - a mapping `{name: mapping, …}`: an object with those members;
/// - `{each: "/pointer", map: mapping}`: the array there, each item mapped with `map`.
package indirect enum ResponseMapping: Sendable, Hashable {
    case value(JSONPointer, optional: Bool)
    case object([String: ResponseMapping])
    case each(JSONPointer, ResponseMapping)

    /// Everything, unchanged: the mapping of an action that does not configure one.
    package static let whole = ResponseMapping.value(JSONPointer("")!, optional: false)

    /// Why an upstream body does not fit the mapping: nothing of the `expected` kind
    /// ("value", "array") at `pointer` (from the document's root, items included).
    package struct Mismatch: Error, Equatable {
        package var pointer: String
        package var expected: String

        package init(pointer: String, expected: String) {
            self.pointer = pointer
            self.expected = expected
        }
    }

    package func apply(to document: JSONValue) throws(Mismatch) -> JSONValue {
        guard let value = try map(document) else { return .null }
        return value
    }

    /// nil only for an optional value that is missing.
    private func map(_ document: JSONValue) throws(Mismatch) -> JSONValue? {
        switch self {
        case .value(let pointer, let optional):
            if let found = pointer.resolve(in: document) { return found }
            if optional { return nil }
            throw Mismatch(pointer: pointer.description, expected: "value")
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (name, member) in members {
                if let value = try member.map(document) { out[name] = value }
            }
            return .object(out)
        case .each(let pointer, let itemMapping):
            guard let items = pointer.resolve(in: document)?.arrayValue else {
                throw Mismatch(pointer: pointer.description, expected: "array")
            }
            var out: [JSONValue] = []
            for (index, item) in items.enumerated() {
                do {
                    out.append(try itemMapping.map(item) ?? .null)
                } catch {
                    throw Mismatch(pointer: "\(pointer)/\(index)\(error.pointer)", expected: error.expected)
                }
            }
            return .array(out)
        }
    }
}

extension ResponseMapping {
    /// The `data` for WSE from an upstream answer; one that does not fit is the upstream's
    /// fault: 502 `bad_upstream_reply` naming the pointer. `what` names the answer's source ("the sms service").
    package func data(from answer: JSONValue, of what: String) throws(ConnectorError) -> JSONValue {
        do {
            return try apply(to: answer)
        } catch {
            throw ConnectorError(
                status: .badGateway, code: "bad_upstream_reply", message: "\(what)'s answer has no \(error.expected) at \(error.pointer), which the mapping needs")
        }
    }
}
