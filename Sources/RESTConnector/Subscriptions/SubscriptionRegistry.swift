import ConnectorKit

/// One upstream subscription the connector keeps on behalf of a WSE process.
struct UpstreamSubscription: Sendable {
    var serviceID: String
    var service: ServiceMapping
    var mapping: SubscriptionMapping
    /// The values of the creating request, reused by the cancel call.
    var values: TemplateValues
    /// WSE's connector IN URL for this process.
    var callback: String
    /// The upstream subscription's URL; nil while it is being created.
    var resource: String?
}

/// The running subscriptions, by WSE process id.
///
/// A subscription is registered before the upstream call that creates it, so that a
/// notification arriving before the create answer is not lost; a cancel that comes in
/// meanwhile removes it, and `activate` then tells the creator to delete what it made.
actor SubscriptionRegistry {
    private var subscriptions: [String: UpstreamSubscription] = [:]

    /// - Returns: false when the pid is already in use.
    func register(pid: String, _ subscription: UpstreamSubscription) -> Bool {
        guard subscriptions[pid] == nil else { return false }
        subscriptions[pid] = subscription
        return true
    }

    /// Records the upstream resource. - Returns: false when the process was cancelled meanwhile.
    func activate(pid: String, resource: String) -> Bool {
        guard subscriptions[pid] != nil else { return false }
        subscriptions[pid]?.resource = resource
        return true
    }

    func subscription(pid: String) -> UpstreamSubscription? { subscriptions[pid] }

    func remove(pid: String) -> UpstreamSubscription? { subscriptions.removeValue(forKey: pid) }

    func removeAll() -> [UpstreamSubscription] {
        defer { subscriptions.removeAll() }
        return Array(subscriptions.values)
    }

    var pids: [String] { subscriptions.keys.sorted() }
}
