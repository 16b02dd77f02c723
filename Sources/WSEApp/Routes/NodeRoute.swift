import Hummingbird

/// One route of a node's router: an HTTP method (lowercase, as OpenAPI spells it) on a path template
/// (`/admin/v1/services/{id}`). The node keeps the list so that its OpenAPI document can be checked against it.
struct NodeRoute: Hashable, Sendable, CustomStringConvertible {
    var method: String
    var path: String

    var description: String { "\(method.uppercased()) \(path)" }
}

extension Router {
    /// Every route added so far, as ``NodeRoute``s.
    var nodeRoutes: [NodeRoute] {
        routes.map { NodeRoute(method: $0.method.rawValue.lowercased(), path: $0.path.description) }
    }
}
