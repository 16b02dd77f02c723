import NIOCore
import SIP

/// Presence authorisation (RFC 5025 style): each presentity's rule per watcher decides whether a SUBSCRIBE is
/// refused, pending, politely blocked or allowed. Watchers without a rule get `configuration.defaultRule`;
/// a presentity always sees itself.
extension PresenceServer: PresenceAuthorizing {
    public func setRule(_ rule: PresenceRule, for watcher: String, of presentity: String) {
        rules[presentity, default: [:]][watcher] = rule
        for id in subscriptions.keys(in: presentity) {
            guard let subscription = subscriptions[id], subscription.watcher.addressOfRecord == watcher else { continue }
            if rule == .block {
                subscriptions[id] = nil
                sendNotify(subscription, state: SIPSubscriptionState(state: "terminated", reason: "rejected"))
            } else {
                sendNotify(subscription, state: state(of: subscription, under: rule))
            }
        }
    }

    public func rules(of presentity: String) -> [String: PresenceRule] {
        rules[presentity] ?? [:]
    }

    func rule(for watcher: String, of presentity: String) -> PresenceRule {
        watcher == presentity ? .allow : rules[presentity]?[watcher] ?? configuration.defaultRule
    }

    /// `pending` while the presentity has not decided, else `active`, with the time the subscription has left.
    func state(of subscription: PresenceSubscription, under rule: PresenceRule) -> SIPSubscriptionState {
        let remaining = max(1, Self.seconds(subscription.expiresAt - now))
        return SIPSubscriptionState(state: rule == .confirm ? "pending" : "active", expires: remaining)
    }
}
