import Orc
import WSECore

/// The names a composition finds bound when it runs, besides the Orc prelude (docs/ORCHESTRATOR.md):
/// - `request`: the request's `data` (JSON converted to Orc: objects are records, arrays lists);
/// - `action`: the request's action (a string);
/// - `user`: the user on whose behalf the composition runs (a string);
/// - `Service(service, action[, data])`: calls a WSE service and publishes its answer;
/// - `Subscribe(service, action[, data])`: calls an asynchronous service and publishes a stream of its events.
enum CompositionBindings {
    static let request = "request"
    static let action = "action"
    static let user = "user"
    static let service = "Service"
    static let subscribe = "Subscribe"

    /// Every name above, as the parser must know them.
    static let names = [request, action, user, service, subscribe]

    /// The values of the names for one run.
    static func values(action: String, data: JSONValue, principal: Principal, sites: ServiceSites) -> [String: OrcValue] {
        [
            request: OrcValue(json: data),
            self.action: .string(action),
            user: .string(principal.user.rawValue),
            service: .hostSite(service, OrcHostSite { await sites.call($0, mode: .answer) }),
            subscribe: .hostSite(subscribe, OrcHostSite { await sites.call($0, mode: .events) }),
        ]
    }
}
