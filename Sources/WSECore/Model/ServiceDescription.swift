/// What a service says of itself in the catalogue (`GET /catalogue/v1/services`): for a person choosing it,
/// and for a program calling it (a JSON Schema for each action's `data`, answer and events).
public struct ServiceDescription: Sendable, Codable, Hashable {
    public var title: String
    public var description: String
    /// Who may use it and on what conditions, for a person (the access rule itself decides).
    public var terms: String?
    public var actions: [ActionDescription]

    public init(title: String, description: String, terms: String? = nil, actions: [ActionDescription] = []) {
        self.title = title
        self.description = description
        self.terms = terms
        self.actions = actions
    }
}

/// One action of a service in the catalogue.
public struct ActionDescription: Sendable, Codable, Hashable {
    public var name: String
    public var description: String
    /// JSON Schema of the request's `data`.
    public var request: JSONValue
    /// JSON Schema of the answer's `data`, when the action answers with data.
    public var answer: JSONValue?
    /// JSON Schema of each event's `data`, when the action pushes events.
    public var events: JSONValue?

    public init(name: String, description: String, request: JSONValue, answer: JSONValue? = nil, events: JSONValue? = nil) {
        self.name = name
        self.description = description
        self.request = request
        self.answer = answer
        self.events = events
    }
}
