// swift-tools-version: 6.1
// WSE, the WebSocket Enabler. One target per component of SPEC.md; see docs/ARCHITECTURE.md.
// Floors: wse -> WSEApp -> components (side by side) -> WSECore, Orc, SIP.
import PackageDescription

let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let httpClient: Target.Dependency = .product(name: "AsyncHTTPClient", package: "async-http-client")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let metrics: Target.Dependency = .product(name: "Metrics", package: "swift-metrics")
let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nioPosix: Target.Dependency = .product(name: "NIOPosix", package: "swift-nio")
let serviceLifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")

let package = Package(
    name: "WSE",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wse", targets: ["wse"]),
        .library(name: "Orc", targets: ["Orc"]),
        .library(name: "SIP", targets: ["SIP"]),
    ],
    dependencies: [
        // traits: [] avoids SwiftPM 6.3's trait-order rebuild of Hummingbird (notes/swift-stack.md, pitfall 2).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // Crypto: PBKDF2 (identity proxy), MD5/SHA-256 (SIP digest); already in the graph through jwt-kit.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // TLS of the node's listener (already in the graph through async-http-client).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // Floor 1: shared vocabulary and the two stand-alone language/protocol libraries.
        .target(name: "WSECore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Orc"),
        .target(name: "SIP", dependencies: [nioCore, nioPosix, .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "ConfigFile", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "WSELifecycle", dependencies: [serviceLifecycle]),
        // Throw-away local servers (PostgreSQL, nginx, child processes, reserved ports) for the demo and the tests.
        .target(name: "LocalServers"),
        // What the HTTP service connectors share: connector OUT decoding, key check, upstream exchange, mappings.
        .target(name: "ConnectorKit", dependencies: ["WSECore", "ConfigFile", hummingbird, httpClient, nioCore, .product(name: "Yams", package: "Yams")]),

        // Floor 2: the components. They import WSECore (ports) and libraries, never each other.
        // SQLite (GRDB) and PostgreSQL (PostgresNIO) in one target: docs/STORAGE.md says why.
        .target(name: "Storage", dependencies: ["WSECore", logging, .product(name: "GRDB", package: "GRDB.swift"),
                                                .product(name: "PostgresNIO", package: "postgres-nio")]),
        .target(name: "IdentityProxy", dependencies: ["WSECore", hummingbird, httpClient, logging, nioCore, nioPosix,
                                                      .product(name: "JWTKit", package: "jwt-kit"),
                                                      .product(name: "Crypto", package: "swift-crypto"),
                                                      .product(name: "CryptoExtras", package: "swift-crypto")]),
        // /wse runs on NIOWebSocket handlers, not HummingbirdWebSocket: measured in docs/CONNECTION-MANAGER.md.
        .target(name: "ConnectionManager", dependencies: [
            "WSECore", hummingbird, logging, metrics, nioCore, nioPosix,
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "Mediator", dependencies: ["WSECore", logging, metrics]),
        .target(name: "ConnectorIn", dependencies: ["WSECore", hummingbird, logging, metrics, nioCore]),
        .target(name: "ConnectorOut", dependencies: ["WSECore", httpClient, logging, nioCore, nioPosix]),
        .target(name: "Orchestrator", dependencies: ["WSECore", "Orc", hummingbird, logging, metrics, nioCore]),
        .target(name: "RESTConnector", dependencies: ["WSECore", "ConfigFile", "ConnectorKit", "WSELifecycle", hummingbird, httpClient, logging, nioCore, serviceLifecycle,
                                                      .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "Yams", package: "Yams")]),
        .target(name: "SOAPConnector", dependencies: ["WSECore", "ConfigFile", "ConnectorKit", hummingbird, httpClient, logging, nioCore,
                                                      .product(name: "Crypto", package: "swift-crypto"), .product(name: "Yams", package: "Yams")]),
        .target(name: "IMSConnector", dependencies: ["WSECore", "SIP", "ConfigFile", hummingbird, httpClient, logging, metrics, nioCore]),
        .target(name: "DemoServices", dependencies: ["WSECore", hummingbird, httpClient, logging, nioCore, serviceLifecycle,
                                                     .product(name: "NIOHTTP1", package: "swift-nio")],
                resources: [.copy("SMS/parlayx-sms-server.py")]),
        .target(name: "OrcBenchmark", dependencies: ["Orc"]),
        .target(name: "PresenceServer", dependencies: ["SIP", nioCore, nioPosix, logging]),
        // Several nodes on one PostgreSQL: node directory, routing between nodes, shared session store (docs/CLUSTER.md).
        .target(name: "Cluster", dependencies: ["WSECore", logging, serviceLifecycle,
                                                .product(name: "PostgresNIO", package: "postgres-nio")]),

        // Browser files (wse.js, sip.js, the admin page, the demo retailer's page): Public/, located by WebAssets.
        .target(name: "WebAssets", path: "Public", resources: [.copy("js"), .copy("admin"), .copy("retailer"), .copy("openapi"), .copy("catalogue")]),

        // Floor 3: wiring a node; the demo deployment beside it. Floor 4: the command line.
        .target(name: "WSEApp", dependencies: [
            "WSECore", "Storage", "IdentityProxy", "ConnectionManager", "Mediator", "ConnectorIn",
            "ConnectorOut", "Orchestrator", "Cluster", "ConfigFile", "WebAssets", "WSELifecycle", hummingbird, httpClient, logging, metrics, nioCore,
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        .target(name: "Demo", dependencies: [
            "WSEApp", "WSECore", "Storage", "IdentityProxy", "RESTConnector", "SOAPConnector", "IMSConnector", "DemoServices", "PresenceServer", "SIP",
            "ConfigFile", "WebAssets", "WSELifecycle", "LocalServers", hummingbird, logging, nioCore, nioPosix,
            // The demo driver's client WebSocket (DemoDriverSocket) sets its own Origin.
            .product(name: "NIOWebSocket", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Yams", package: "Yams"),
        ], resources: [.copy("DemoResources")]),
        .executableTarget(name: "wse", dependencies: [
            "WSEApp", "Demo", "WSELifecycle", "Orc", "OrcBenchmark", "SIP", "RESTConnector", "SOAPConnector", "IMSConnector", "PresenceServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Test support, never shipped: one `eventually`, one manual clock, a throw-away PostgreSQL; the identity proxy's test kit.
        .target(name: "WSETesting", dependencies: ["WSECore", "LocalServers", hummingbird, httpClient, logging, metrics, nioCore, serviceLifecycle,
                                                   .product(name: "NIOHTTP1", package: "swift-nio"),
                                                   .product(name: "MetricsTestKit", package: "swift-metrics"),
                                                   .product(name: "NIOEmbedded", package: "swift-nio"),
                                                   .product(name: "PostgresNIO", package: "postgres-nio")],
                path: "Tests/Support/WSETesting"),
        .target(name: "IdentityProxyTesting", dependencies: ["IdentityProxy", "WSECore", nioPosix], path: "Tests/Support/IdentityProxyTesting"),

        .testTarget(name: "WSECoreTests", dependencies: ["WSECore"]),
        .testTarget(name: "ConfigFileTests", dependencies: ["ConfigFile"]),
        .testTarget(name: "LocalServersTests", dependencies: ["LocalServers"]),
        .testTarget(name: "WSELifecycleTests", dependencies: ["WSELifecycle", logging, serviceLifecycle]),
        .testTarget(name: "WebAssetsTests", dependencies: ["WebAssets"]),
        .testTarget(name: "OrcTests", dependencies: ["Orc", "WSETesting"], exclude: ["conformance-ratchet.txt"]),
        .testTarget(name: "OrcBenchmarkTests", dependencies: ["OrcBenchmark"]),
        .testTarget(name: "SIPTests", dependencies: ["SIP", "WSETesting", nioCore, nioPosix, .product(name: "NIOEmbedded", package: "swift-nio")]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "WSECore", "WSETesting", "LocalServers", logging, .product(name: "GRDB", package: "GRDB.swift"),
                                                         .product(name: "PostgresNIO", package: "postgres-nio")]),
        .testTarget(name: "IdentityProxyTests", dependencies: [
            "IdentityProxy", "IdentityProxyTesting", "WSETesting", "WSECore", "Storage", hummingbird, nioCore,
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "JWTKit", package: "jwt-kit"),
        ]),
        .testTarget(name: "ConnectionManagerTests", dependencies: [
            "ConnectionManager", "WSECore", "WSETesting", hummingbird, logging, metrics, nioCore, nioPosix,
            .product(name: "MetricsTestKit", package: "swift-metrics"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "MediatorTests", dependencies: [
            "Mediator", "WSECore", "WSETesting", metrics, .product(name: "MetricsTestKit", package: "swift-metrics"),
        ]),
        .testTarget(name: "OrchestratorTests", dependencies: [
            "Orchestrator", "WSECore", "WSETesting", "Orc",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "MetricsTestKit", package: "swift-metrics"),
        ]),
        .testTarget(name: "ConnectorInTests", dependencies: [
            "ConnectorIn", "WSECore", "WSETesting", .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "MetricsTestKit", package: "swift-metrics"),
        ]),
        .testTarget(name: "ConnectorOutTests", dependencies: ["ConnectorOut", "WSECore", "WSETesting", hummingbird]),
        .testTarget(name: "ConnectorKitTests", dependencies: ["ConnectorKit", "WSECore", "WSETesting", hummingbird, httpClient]),
        .testTarget(name: "RESTConnectorTests", dependencies: [
            "RESTConnector", "ConnectorKit", "DemoServices", "WSECore", "WSETesting", hummingbird, httpClient, serviceLifecycle,
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .testTarget(name: "SOAPConnectorTests", dependencies: [
            "SOAPConnector", "ConnectorKit", "ConfigFile", "DemoServices", "WSECore", "WSETesting", hummingbird, httpClient,
        ]),
        .testTarget(name: "DemoServicesTests", dependencies: [
            "DemoServices", "WSECore", "WSETesting", hummingbird, httpClient, serviceLifecycle,
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "IMSConnectorTests", dependencies: [
            "IMSConnector", "PresenceServer", "SIP", "WSECore", "WSETesting", hummingbird, httpClient, metrics, nioCore, nioPosix,
            .product(name: "MetricsTestKit", package: "swift-metrics"), .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "PresenceServerTests", dependencies: [
            "PresenceServer", "SIP", "WSETesting", nioCore, nioPosix, .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
        .testTarget(name: "WSEAppTests", dependencies: [
            "WSEApp", "WSECore", "IdentityProxy", "Storage", hummingbird, logging, serviceLifecycle,
            .product(name: "Prometheus", package: "swift-prometheus"), .product(name: "HummingbirdTesting", package: "hummingbird"),
            "WSETesting", .product(name: "Yams", package: "Yams"),
            httpClient, nioCore, nioPosix, .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .testTarget(name: "DemoTests", dependencies: ["Demo", "IdentityProxy", "Storage"]),
        .testTarget(name: "IntegrationTests", dependencies: [
            "WSEApp", "Demo", "WSECore", "IdentityProxy", "WSETesting", "LocalServers", "Cluster", "Storage", hummingbird, nioPosix, .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            httpClient,
        ]),
        .testTarget(name: "ClusterTests", dependencies: ["Cluster", "Storage", "WSECore", "WSETesting", logging,
                                                         .product(name: "PostgresNIO", package: "postgres-nio")]),
        // The floors of docs/ARCHITECTURE.md, checked against every target's imports.
        .testTarget(name: "ArchitectureTests"),
    ]
)
