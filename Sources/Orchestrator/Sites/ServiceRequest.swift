import Orc
import WSECore

/// The arguments of a `Service`/`Subscribe` call: two strings and optional data (any Orc value, sent as JSON).
struct ServiceRequest: Sendable {
    var service: ServiceID
    var action: String
    var data: JSONValue

    init(_ arguments: [OrcValue], site: String) throws(ServiceError) {
        guard arguments.count == 2 || arguments.count == 3 else {
            throw ServiceError(.badRequest, "\(site) takes (service, action) or (service, action, data), got \(arguments.count) arguments")
        }
        guard case .string(let service) = arguments[0], case .string(let action) = arguments[1] else {
            throw ServiceError(.badRequest, "\(site): the service and the action must be strings, got \(arguments[0].formatted) and \(arguments[1].formatted)")
        }
        self.service = ServiceID(service)
        self.action = action
        self.data = arguments.count == 3 ? JSONValue(orc: arguments[2]) : .object([:])
    }
}
