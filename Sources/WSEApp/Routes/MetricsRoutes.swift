import Hummingbird
import Prometheus

extension Router {
    /// `GET /metrics`: every counter, gauge and histogram of the node in Prometheus text format.
    func addMetricsRoute(registry: PrometheusCollectorRegistry) {
        get("/metrics") { _, _ in
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
