/// What the driven contacts do, round after round: every contact walks one step of its route,
/// and now and then one of them changes presence. Pure and seeded: the same seed and contacts
/// give the same rounds, so a scene can be replayed (`--seed`) and tested without a node.
struct DemoDriverScene: Sendable {
    /// A presence a contact may publish.
    struct Presence: Sendable, Hashable {
        let basic: String
        let note: String
    }

    static let presences: [Presence] = [
        Presence(basic: "open", note: "at my desk"),
        Presence(basic: "open", note: "free to chat"),
        Presence(basic: "open", note: "working from a café"),
        Presence(basic: "open", note: "back from lunch"),
        Presence(basic: "closed", note: "in a meeting"),
        Presence(basic: "closed", note: "at lunch"),
        Presence(basic: "closed", note: "on a train"),
        Presence(basic: "closed", note: "gone for the day"),
    ]

    /// The chance that a round after the first also changes someone's presence.
    static let presenceChance = 0.6

    let users: [String]
    private var random: DemoDriverRandom
    private var laps: [[DemoDriverPlace]]
    private var steps: [Int]
    private var current: [String: Presence] = [:]
    private var round = 0

    init(users: [String], seed: UInt64) {
        self.users = users
        random = DemoDriverRandom(seed: seed)
        laps = users.indices.map { DemoDriverRoute.all[$0 % DemoDriverRoute.all.count].lap }
        steps = users.map { _ in 0 }
    }

    /// The changes of the next round. The first one places every contact at the start of its
    /// route and gives each a presence, so that every card has both from the start.
    mutating func nextRound() -> [DemoDriverChange] {
        round += 1
        var changes: [DemoDriverChange] = []
        for index in users.indices {
            let lap = laps[index]
            changes.append(.move(user: users[index], lap[steps[index] % lap.count]))
            steps[index] += 1
        }
        if round == 1 {
            for user in users { changes.append(newPresence(for: user)) }
        } else if Double.random(in: 0..<1, using: &random) < Self.presenceChance, let user = users.randomElement(using: &random) {
            changes.append(newPresence(for: user))
        }
        return changes
    }

    /// How long to wait before the next round: `every` seconds, give or take 30 %.
    mutating func pause(every seconds: Double) -> Duration {
        .milliseconds(Int64((seconds * Double.random(in: 0.7...1.3, using: &random) * 1000).rounded()))
    }

    private mutating func newPresence(for user: String) -> DemoDriverChange {
        let choices = Self.presences.filter { $0 != current[user] }
        let presence = choices.randomElement(using: &random) ?? Self.presences[0]
        current[user] = presence
        return .presence(user: user, basic: presence.basic, note: presence.note)
    }
}
