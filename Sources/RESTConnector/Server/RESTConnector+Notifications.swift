import ConnectorKit
import Hummingbird
import WSECore

extension RESTConnector {
    /// An upstream notification: mapped and forwarded to WSE's connector IN.
    ///
    /// Answers the upstream 204 when WSE took it, 410 when WSE no longer knows the process
    /// (the subscription is then deleted), 404 for an unknown pid, 502 when WSE cannot be
    /// reached, 422 when the notification does not fit the mapping.
    func handleNotification(_ request: Request, pid: String) async -> Response {
        guard let subscription = await registry.subscription(pid: pid) else {
            return ConnectorError.unknownProcess(pid).response
        }
        guard let bytes = try? await request.body.collect(upTo: ConnectorEndpoint.maxCallBody), let body = try? JSONValue.parse(bytes.readableBytesView) else {
            return ConnectorError(status: .badRequest, code: "bad_request", message: "a notification must be a JSON body").response
        }
        let data: JSONValue
        do {
            data = try subscription.mapping.notification.data(from: body, of: "the \(subscription.serviceID) service")
        } catch {
            logger.warning("notification does not fit the mapping", metadata: ["pid": "\(pid)", "error": "\(error.message)"])
            return ConnectorError(status: .unprocessableContent, code: "bad_notification", message: error.message).response
        }
        switch await connectorIn.send(pid: pid, data: data, final: false, to: subscription.callback) {
        case .delivered:
            return Response(status: .noContent)
        case .unknownProcess:
            if let removed = await registry.remove(pid: pid) { await deleteUpstream(removed, pid: pid) }
            return ConnectorError(status: .gone, code: "process_ended", message: "WSE no longer runs process \(pid)").response
        case .failed(let why):
            logger.warning("notification not forwarded", metadata: ["pid": "\(pid)", "error": "\(why)"])
            return ConnectorError(status: .badGateway, code: "connector_in_unavailable", message: why).response
        }
    }
}
