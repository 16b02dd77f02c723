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
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // MD5 and SHA-256 for SIP digest auth (already in the graph through jwt-kit).
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        // Floor 1: shared vocabulary and the two stand-alone language/protocol libraries.
        .target(name: "WSECore"),
        .target(name: "Orc"),
        .target(name: "SIP", dependencies: [nioCore, nioPosix, .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "ConfigFile", dependencies: [.product(name: "Yams", package: "Yams")]),

        // Floor 2: the components. They import WSECore (ports) and libraries, never each other.
        .target(name: "Storage", dependencies: ["WSECore", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "IdentityProxy", dependencies: ["WSECore", hummingbird, httpClient, logging,
                                                      .product(name: "JWTKit", package: "jwt-kit")]),
        .target(name: "ConnectionManager", dependencies: [
            "WSECore", hummingbird, logging, metrics, nioCore, nioPosix,
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .target(name: "Mediator", dependencies: ["WSECore", logging, metrics]),
        .target(name: "ConnectorIn", dependencies: ["WSECore", hummingbird, logging, metrics]),
        .target(name: "ConnectorOut", dependencies: ["WSECore", httpClient, logging]),
        .target(name: "Orchestrator", dependencies: ["WSECore", "Orc", hummingbird, logging, metrics]),
        .target(name: "RESTConnector", dependencies: ["WSECore", hummingbird, httpClient, logging]),
        .target(name: "IMSConnector", dependencies: ["WSECore", "SIP", hummingbird, httpClient, logging, nioCore,
                                                     .product(name: "Yams", package: "Yams")]),
        .target(name: "DemoServices", dependencies: ["WSECore", hummingbird, httpClient, logging]),
        .target(name: "PresenceServer", dependencies: ["SIP", nioCore, nioPosix, logging]),

        // Floor 3: wiring. Floor 4: the command line.
        .target(name: "WSEApp", dependencies: [
            "WSECore", "Storage", "IdentityProxy", "ConnectionManager", "Mediator", "ConnectorIn",
            "ConnectorOut", "Orchestrator", "RESTConnector", "IMSConnector", "DemoServices",
            "PresenceServer", "ConfigFile", hummingbird, httpClient, logging, metrics, nioCore, nioPosix,
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Yams", package: "Yams"),
        ], resources: [.copy("Public")]),
        .executableTarget(name: "wse", dependencies: [
            "WSEApp", "Orc", "SIP", "RESTConnector", "IMSConnector", "PresenceServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "WSECoreTests", dependencies: ["WSECore", "ConfigFile"]),
        .testTarget(name: "OrcTests", dependencies: ["Orc"]),
        .testTarget(name: "SIPTests", dependencies: ["SIP", nioCore, nioPosix]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "WSECore"]),
        .testTarget(name: "IdentityProxyTests", dependencies: [
            "IdentityProxy", "WSECore", "Storage",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "ConnectionManagerTests", dependencies: [
            "ConnectionManager", "WSECore",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
        ]),
        .testTarget(name: "MediatorTests", dependencies: ["Mediator", "WSECore"]),
        .testTarget(name: "ConnectorTests", dependencies: [
            "ConnectorIn", "ConnectorOut", "RESTConnector", "DemoServices", "WSECore",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "IMSConnectorTests", dependencies: [
            "IMSConnector", "PresenceServer", "SIP", "WSECore", hummingbird, httpClient, nioCore, nioPosix,
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "IntegrationTests", dependencies: [
            "WSEApp", "WSECore",
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            httpClient,
        ]),
    ]
)
