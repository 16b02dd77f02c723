import Foundation
import Hummingbird
import Mediator

/// `GET /admin/v1/overview`: what the operator's admin page shows — sessions, traffic and its
/// composed share (the numbers the paper asks connector IN to count), running compositions and
/// every service's live state.
struct AdminOverview: Encodable, Sendable {
    struct Node: Encodable, Sendable {
        var startedAt: Date
        var uptimeSeconds: Int
    }

    struct Sessions: Encodable, Sendable {
        var open: Int
        var connections: Int
    }

    struct Traffic: Encodable, Sendable {
        var basicRequests: Int
        var composedRequests: Int
        var pushes: Int
        var composedShare: Double
    }

    struct Compositions: Encodable, Sendable {
        var running: Int
    }

    var node: Node
    var sessions: Sessions
    var traffic: Traffic
    var compositions: Compositions
    var services: [ServiceStatus]
}

/// Where the overview's numbers come from; each closure reads one component's live state.
struct AdminOverviewSource: Sendable {
    var startedAt: Date
    var sessions: @Sendable () -> AdminOverview.Sessions
    var runningCompositions: @Sendable () async -> Int
    var registry: ServiceRegistry

    func overview() async -> AdminOverview {
        let summary = await registry.trafficSummary()
        return AdminOverview(
            node: .init(startedAt: startedAt, uptimeSeconds: Int(Date().timeIntervalSince(startedAt))),
            sessions: sessions(),
            traffic: .init(
                basicRequests: summary.basicRequests, composedRequests: summary.composedRequests, pushes: summary.pushes,
                composedShare: summary.composedShare),
            compositions: .init(running: await runningCompositions()),
            services: await registry.status())
    }
}

extension AdminOverviewSource {
    func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>) {
        group.get("overview") { _, _ in
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            let data = try encoder.encode(await overview())
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
