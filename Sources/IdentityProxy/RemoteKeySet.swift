import AsyncHTTPClient
import Foundation
import JWTKit
import Logging
import NIOCore
import WSECore

/// An external issuer's keys, fetched from its JWKS URL and cached.
///
/// The set is fetched on first use, again when a token names an unknown `kid` (the issuer may have
/// rotated its key) but no more often than `minimumRefetchInterval`, and again after `cacheLifetime`.
/// Concurrent verifications share one fetch. While the issuer is down, tokens signed by keys already
/// cached still verify; others fail with `.keysUnavailable`.
actor RemoteKeySet: VerificationKeySource {
    private struct Fetched: Sendable {
        let keys: JWTKeyCollection
        let kids: Set<String>
    }

    /// The largest JWKS document accepted.
    static let maxDocumentSize = 1 << 20

    private let issuer: ExternalIssuer
    private let httpClient: HTTPClient
    private let logger: Logger
    private var current: Fetched?
    private var fetchedAt: ContinuousClock.Instant?
    private var lastAttempt: ContinuousClock.Instant?
    private var lastFailure: String?
    private var inFlight: Task<Result<Fetched, TokenError>, Never>?

    init(issuer: ExternalIssuer, httpClient: HTTPClient, logger: Logger) {
        self.issuer = issuer
        self.httpClient = httpClient
        self.logger = logger
    }

    func keys(holding kid: String) async throws(TokenError) -> JWTKeyCollection {
        if let inFlight { _ = await inFlight.value }  // a fetch under way may bring the key
        let now = ContinuousClock.Instant.now
        if let current, current.kids.contains(kid) {
            if let fetchedAt, now - fetchedAt < issuer.cacheLifetime { return current.keys }
            // Stale: try to refresh, but a known key keeps working while the issuer is down.
            if mayFetch(at: now), case .success(let fresh) = await refresh(), fresh.kids.contains(kid) { return fresh.keys }
            return current.keys
        }
        guard mayFetch(at: now) else {
            if current == nil { throw .keysUnavailable(lastFailure ?? "the issuer's JWKS has not been fetched yet") }
            throw .badSignature
        }
        switch await refresh() {
        case .success(let fresh) where fresh.kids.contains(kid): return fresh.keys
        case .success: throw .badSignature
        case .failure(let error): throw error
        }
    }

    private func mayFetch(at now: ContinuousClock.Instant) -> Bool {
        guard let lastAttempt else { return true }
        return now - lastAttempt >= issuer.minimumRefetchInterval
    }

    private func refresh() async -> Result<Fetched, TokenError> {
        if let inFlight { return await inFlight.value }
        lastAttempt = ContinuousClock.Instant.now
        // One fetch shared by every verification that arrives meanwhile; awaited here, never left behind.
        let task = Task { [issuer, httpClient] in await Self.fetch(issuer: issuer, httpClient: httpClient) }
        inFlight = task
        let result = await task.value
        inFlight = nil
        switch result {
        case .success(let fetched):
            current = fetched
            fetchedAt = ContinuousClock.Instant.now
            lastFailure = nil
            logger.info("fetched issuer keys", metadata: ["jwks": "\(issuer.jwksURL)", "kids": "\(fetched.kids.sorted())"])
        case .failure(let error):
            lastFailure = error.description
            logger.warning("could not fetch issuer keys", metadata: ["jwks": "\(issuer.jwksURL)", "error": "\(error)"])
        }
        return result
    }

    private static func fetch(issuer: ExternalIssuer, httpClient: HTTPClient) async -> Result<Fetched, TokenError> {
        let url = issuer.jwksURL
        let body: ByteBuffer
        do {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Accept", value: "application/json")
            let response = try await httpClient.execute(request, timeout: .nanoseconds(issuer.fetchTimeout.nanosecondsClamped))
            guard response.status == .ok else {
                return .failure(.keysUnavailable("GET \(url) answered \(response.status.code)"))
            }
            body = try await response.body.collect(upTo: maxDocumentSize)
        } catch {
            return .failure(.keysUnavailable("GET \(url) failed: \(error)"))
        }
        let jwks: JWKS
        do {
            jwks = try JSONDecoder().decode(JWKS.self, from: Data(body.readableBytesView))
        } catch {
            return .failure(.keysUnavailable("\(url) is not a JWKS document: \(error)"))
        }
        let keys = JWTKeyCollection()
        var kids = Set<String>()
        for jwk in jwks.keys {
            guard let kid = jwk.keyIdentifier?.string else { continue }
            // A key of a type this library cannot use is skipped; the others still serve.
            if (try? await keys.add(jwk: jwk)) != nil { kids.insert(kid) }
        }
        guard !kids.isEmpty else { return .failure(.keysUnavailable("\(url) holds no usable key with a kid")) }
        return .success(Fetched(keys: keys, kids: kids))
    }
}

extension Duration {
    /// The duration in nanoseconds, clamped to `Int64`.
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : product &+ attoseconds / 1_000_000_000
    }
}
