import Hummingbird
import Prometheus

extension Router {
    /// `GET /metrics`: every counter, gauge and histogram of the node in Prometheus text format,
    /// for the bearer `token` (`nil`: open, for loopback-only deployments; docs/PROTOCOL-EXTENSIONS.md).
    func addMetricsRoute(registry: PrometheusCollectorRegistry, token: String?) {
        let route = token.map { group().add(middleware: AdminAuthMiddleware(token: $0, tokenName: "metrics token")) } ?? group()
        route.get("/metrics") { _, _ in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(16 * 1024)
            registry.emit(into: &bytes)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
