import Cluster
import Foundation
import Hummingbird
import WSECore

/// `GET /admin/v1/nodes` (PROTOCOL.md 1.1): every node of the deployment, `{"nodes":[{"id","url","pid","sessions","alive"}]}`.
/// A node on its own lists itself; a node of a cluster lists what `cluster_node` holds (docs/CLUSTER.md).
struct AdminNodeRoutes: Sendable {
    struct Listing: Encodable, Sendable {
        var nodes: [NodeStatus]
    }

    var nodes: @Sendable () async throws -> [NodeStatus]

    func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>) {
        group.get("nodes") { _, _ in
            let listing: Listing
            do {
                listing = Listing(nodes: try await nodes())
            } catch {
                let body = HTTPErrorBody(code: "unavailable", message: "the node list cannot be read: \(error)")
                return try Self.json(body, status: .serviceUnavailable)
            }
            return try Self.json(listing, status: .ok)
        }
    }

    private static func json(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        let data = try JSONEncoder().encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
