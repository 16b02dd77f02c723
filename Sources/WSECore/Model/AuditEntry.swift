import Foundation

/// One change to the broker's parties or services, as the audit log keeps it: who, when, what.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var at: Date
    /// Who made the change: `admin`, or `provider:<id>`.
    public var actor: String
    /// What was done, such as `provider.create`, `retailer.update`, `service.put`, `service.delete`.
    public var action: String
    /// The party or service changed.
    public var target: String
    /// The change itself, for a person (never a key).
    public var detail: String

    public init(at: Date, actor: String, action: String, target: String, detail: String) {
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
    }
}
