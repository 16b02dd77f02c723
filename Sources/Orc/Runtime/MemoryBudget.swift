/// The approximate bytes a run holds, against its `OrcRunLimits.maxMemory`. Fixed costs per
/// object, added and removed as the run takes and drops them (no allocation, no measuring); the
/// interpreter looks at `isOver` between batches of steps. Lives on the run's thread.
final class MemoryBudget {
    /// A token: the object with its fields (node, environment, continuation, group, clock, state).
    static let tokenCost = 128
    /// One continuation frame (`>P>` right side, `;` exit, group publication) held by a token;
    /// a frame shared by forked tokens is counted once per token.
    static let frameCost = 80
    /// A value kept by a state site (channel element, array slot, dictionary entry); a channel
    /// element that is a string adds its bytes (`cost(of:)`). Lists are counted by their cells.
    static let valueCost = MemoryLayout<OrcValue>.stride
    /// One list cell made by the run (object header, head, tail, count, meter), plus its head's
    /// bytes when that is a string; counted while the cell is alive (`values`).
    static let listCellCost = 80

    /// What holding `value` costs a state site: its slot, and a string's bytes.
    static func cost(of value: OrcValue) -> Int { valueCost + stringBytes(of: value) }

    /// What a list cell whose head is `head` costs: the cell, and a string head's bytes.
    static func cost(ofCellWith head: OrcValue) -> Int { listCellCost + stringBytes(of: head) }

    private static func stringBytes(of value: OrcValue) -> Int {
        if case .string(let text) = value { return text.utf8.count }
        return 0
    }

    let limit: Int
    /// Tokens, frames and state sites' contents: changed on the run's thread only.
    private var held = 0
    /// The run's list cells, alive wherever they are.
    let values = ValueMeter()
    var used: Int { held &+ values.total }
    /// Set when a reservation was refused (e.g. `Array(100000000)`): the run ends at once.
    private(set) var refused: String?

    init(limit: Int?) { self.limit = limit ?? .max }

    var isOver: Bool { used > limit || refused != nil }

    func charge(_ bytes: Int) { held &+= bytes }
    func release(_ bytes: Int) { held &-= bytes }

    /// Charges `bytes` if they fit in what is left; otherwise marks the run as over, naming `what`.
    func reserve(_ bytes: Int, for what: String) -> Bool {
        guard admits(bytes, for: what) else { return false }
        held += bytes
        return true
    }

    /// Whether `bytes` more would fit in what is left, without charging them; if not, the run is marked
    /// as over, naming `what` (a string too long to be made, for one).
    func admits(_ bytes: Int, for what: String) -> Bool {
        guard bytes <= limit - used else {
            refused = refused ?? what
            return false
        }
        return true
    }

    /// Why the run ends: the limit, and what asked for more.
    var overrunReason: String {
        let budget = "its memory budget of \(MemoryBudget.describe(limit))"
        if let refused { return "\(refused) does not fit in \(budget)" }
        return "it held more than \(budget) (runaway recursion, a list growing without end, or values piling up in channels?)"
    }

    /// `64 MiB`, `512 KiB`, `1000 bytes`.
    static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
