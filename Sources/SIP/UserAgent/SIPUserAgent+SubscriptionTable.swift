extension SIPUserAgent {
    /// The agent's subscriptions by entity, indexed by dialog (Call-ID and our tag) as well, so
    /// that a NOTIFY finds its subscription without scanning them all (a watcher may have
    /// thousands).
    struct SubscriptionTable {
        private struct DialogID: Hashable {
            let callID: String
            let localTag: String
        }

        private var byEntity: [String: Subscription] = [:]
        private var entityByDialog: [DialogID: String] = [:]

        subscript(entity: String) -> Subscription? {
            get { byEntity[entity] }
            set {
                if let old = byEntity[entity] { entityByDialog[Self.id(of: old)] = nil }
                if let newValue { entityByDialog[Self.id(of: newValue)] = entity }
                byEntity[entity] = newValue
            }
        }

        /// The entity whose subscription dialog has this Call-ID and local tag.
        func entity(callID: String, localTag: String) -> String? {
            entityByDialog[DialogID(callID: callID, localTag: localTag)]
        }

        var entities: [String] { Array(byEntity.keys) }
        var all: Dictionary<String, Subscription>.Values { byEntity.values }

        mutating func removeAll() {
            byEntity.removeAll()
            entityByDialog.removeAll()
        }

        private static func id(of subscription: Subscription) -> DialogID {
            DialogID(callID: subscription.dialog.callID, localTag: subscription.dialog.localTag)
        }
    }
}
