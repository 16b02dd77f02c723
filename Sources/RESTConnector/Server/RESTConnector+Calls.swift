import ConnectorKit
import Foundation
import Hummingbird
import WSECore

extension RESTConnector {
    func handleCall(_ call: CallRequest) async throws(ConnectorError) -> Response {
        guard let (service, action) = configuration.action(call.action, of: call.service) else {
            throw .unknownAction(service: call.service, action: call.action, known: configuration.knownActions)
        }
        let values = TemplateValues(user: call.user, pid: call.pid, data: call.data)
        for field in action.requiredFields { _ = try values.value(of: field) }

        guard let subscription = action.subscription else {
            let answer = try await upstream.call(action.call, of: call.service, service, values: values)
            let data = try action.response.data(from: answer.body, of: "the \(call.service) service")
            return .json(.ok, ["data": data])
        }
        return try await startSubscription(call, service, action.call, subscription, values: values)
    }

    /// Registers the process, creates the upstream subscription with a notify URL for it, and answers 202.
    private func startSubscription(
        _ call: CallRequest, _ service: ServiceMapping, _ create: HTTPCallTemplate, _ subscription: SubscriptionMapping, values: TemplateValues
    ) async throws(ConnectorError) -> Response {
        var values = values
        guard let callback = call.callback, let url = URL(string: callback), ["http", "https"].contains(url.scheme ?? "") else {
            throw .badRequest("field callback must be the http(s) URL of WSE's connector IN for a subscription action")
        }
        guard let base = notifyBaseURL else {
            throw ConnectorError(status: .serviceUnavailable, code: "starting", message: "the connector is not listening yet")
        }
        values.notifyURL = "\(base)/notify/\(call.pid)"
        let entry = UpstreamSubscription(serviceID: call.service, service: service, mapping: subscription, values: values, callback: callback)
        guard await registry.register(pid: call.pid, entry) else {
            throw ConnectorError(status: .conflict, code: "duplicate_pid", message: "pid \(call.pid) already has a running subscription")
        }
        let answer: UpstreamAnswer
        do {
            answer = try await upstream.call(create, of: call.service, service, values: values)
        } catch {
            _ = await registry.remove(pid: call.pid)
            throw error
        }
        let resource: String
        switch subscription.resource {
        case .locationHeader: resource = answer.location ?? ""
        case .body(let pointer): resource = pointer.resolve(in: answer.body)?.stringValue ?? ""
        }
        guard !resource.isEmpty else {
            // It cannot be deleted without its URL; once forgotten here, its notifications get 404 and it stops.
            _ = await registry.remove(pid: call.pid)
            throw ConnectorError(status: .badGateway, code: "bad_upstream_reply", message: "the \(call.service) service created a subscription but its answer does not say where (resource)")
        }
        var created = entry
        created.resource = resource
        // Its cancel must stay on the service's origin; refuse a resource elsewhere now, not at cancel time.
        var cancelValues = values
        cancelValues.resource = resource
        do {
            _ = try UpstreamClient.request(subscription.cancel, service, cancelValues)
        } catch {
            _ = await registry.remove(pid: call.pid)
            logger.error("refused the upstream subscription", metadata: ["pid": "\(call.pid)", "service": "\(call.service)", "error": "\(error.message)"])
            throw error
        }
        if await !registry.activate(pid: call.pid, resource: resource) {
            await deleteUpstream(created, pid: call.pid)  // cancelled while it was being created
        }
        logger.info("subscription started", metadata: ["pid": "\(call.pid)", "service": "\(call.service)"])
        return .json(.accepted, [:])
    }

    func cancel(pid: String) async throws(ConnectorError) -> Response {
        guard let subscription = await registry.remove(pid: pid) else { throw .unknownProcess(pid) }
        await deleteUpstream(subscription, pid: pid)
        return Response(status: .noContent)
    }

    /// Ends the upstream subscription, best effort: if it fails, the upstream's next
    /// notification gets 404 from `/notify` and it stops by itself.
    func deleteUpstream(_ subscription: UpstreamSubscription, pid: String) async {
        guard let resource = subscription.resource else { return }  // still being created: the creator deletes it
        var values = subscription.values
        values.resource = resource
        do {
            _ = try await upstream.call(subscription.mapping.cancel, of: subscription.serviceID, subscription.service, values: values)
            logger.info("subscription ended", metadata: ["pid": "\(pid)"])
        } catch {
            logger.warning("could not delete the upstream subscription", metadata: ["pid": "\(pid)", "error": "\(error.message)"])
        }
    }

    func cancelAll() async {
        for subscription in await registry.removeAll() {
            await deleteUpstream(subscription, pid: subscription.values.pid)
        }
    }
}
