/// One change the driver makes to the demo, as it reports it.
public enum DemoDriverChange: Sendable, Hashable, CustomStringConvertible {
    /// `user` published presence (`sip publish`): `basic` is `open` or `closed`.
    case presence(user: String, basic: String, note: String)
    /// `user`'s phone was moved to a place (`location move`).
    case move(user: String, DemoDriverPlace)

    public var user: String {
        switch self {
        case .presence(let user, _, _), .move(let user, _): user
        }
    }

    /// `user` padded to a column, so that the lines of a run align.
    static func column(_ user: String) -> String { user.padding(toLength: max(6, user.count), withPad: " ", startingAt: 0) }

    public var description: String {
        let name = Self.column(user)
        switch self {
        case .presence(_, let basic, let note):
            return "\(name) presence \(basic == "open" ? "open  " : "closed") \"\(note)\""
        case .move(_, let place):
            return "\(name) walks to \(place)"
        }
    }
}
