// swift-tools-version: 6.1
// SIP benchmarks (docs/SIP.md §Benchmarks): a small package over the repository's own
// SIP, PresenceServer, IMSConnector and WSECore sources (symlinked under Sources/), so that
// a release build compiles only what the benchmarks use.
//   swift run -c release SIPBench parse|notify|register ...
import PackageDescription

let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nioPosix: Target.Dependency = .product(name: "NIOPosix", package: "swift-nio")
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let httpClient: Target.Dependency = .product(name: "AsyncHTTPClient", package: "async-http-client")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")

let package = Package(
    name: "SIPBench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(name: "WSECore"),
        .target(name: "SIP", dependencies: [nioCore, nioPosix, .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "PresenceServer", dependencies: ["SIP", nioCore, nioPosix, logging]),
        .target(name: "IMSConnector", dependencies: ["WSECore", "SIP", hummingbird, httpClient, logging, nioCore,
                                                     .product(name: "Yams", package: "Yams")]),
        .executableTarget(name: "SIPBench", dependencies: ["SIP", "PresenceServer", "IMSConnector", "WSECore", hummingbird,
                                                           httpClient, logging, nioCore, nioPosix]),
    ]
)
