import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing
@testable import WSEApp

/// `/metrics` shows the node's inner workings: it asks for its bearer token unless configured open.
@Suite struct MetricsRouteTests {
    private func status(token: String?, authorization: String?) async throws -> HTTPResponse.Status {
        let router = Router()
        router.addMetricsRoute(registry: PrometheusCollectorRegistry(), token: token)
        return try await Application(router: router).test(.router) { client in
            var headers = HTTPFields()
            if let authorization { headers[.authorization] = authorization }
            return try await client.execute(uri: "/metrics", method: .get, headers: headers) { $0.status }
        }
    }

    @Test func aScrapeWithoutTheTokenIsRefused() async throws {
        #expect(try await status(token: "scrape-token", authorization: nil) == .unauthorized)
        #expect(try await status(token: "scrape-token", authorization: "Bearer wrong") == .unauthorized)
    }

    @Test func aScrapeWithTheTokenIsAnswered() async throws {
        #expect(try await status(token: "scrape-token", authorization: "Bearer scrape-token") == .ok)
    }

    @Test func anOpenEndpointAsksForNothing() async throws {
        #expect(try await status(token: nil, authorization: nil) == .ok)
    }

    @Test func theMetricsTokenReplacesTheAdminToken() {
        var configuration = NodeConfiguration()
        #expect(configuration.metricsToken(adminToken: "admin") == "admin")
        configuration.metrics.token = "scrape"
        #expect(configuration.metricsToken(adminToken: "admin") == "scrape")
        configuration.metrics.open = true
        #expect(configuration.metricsToken(adminToken: "admin") == nil)
    }
}
