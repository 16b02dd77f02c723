import Foundation

/// Builds tuples and lists from evaluated components.
final class DataBuilder: Site {
    enum Kind { case tuple, list }
    let kind: Kind

    init(_ kind: Kind) {
        self.kind = kind
        super.init(name: kind == .tuple ? "Tuple" : "List")
    }

    override func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome {
        .publish(kind == .tuple ? .tuple(arguments) : .list(.of(arguments, meter: call.interpreter.memory.values)))
    }
}

/// Builds a record `{. k1 = v1, … .}` from evaluated field values.
final class RecordMaker: Site {
    let keys: [String]

    init(keys: [String]) {
        self.keys = keys
        super.init(name: "Record")
    }

    override func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome {
        .publish(.record(OrcRecord(Array(zip(keys, arguments)))))
    }
}
