import Hummingbird

/// `GET /healthz`: 200 `{"status":"ok"}` while the node serves (PROTOCOL.md).
struct HealthStatus: ResponseEncodable {
    var status = "ok"
}

extension Router {
    func addHealthRoute() {
        get("/healthz") { _, _ in HealthStatus() }
    }
}
