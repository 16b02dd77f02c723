import Foundation
import Hummingbird
import WSECore

/// The identity proxy's HTTP endpoints, to be added to the node's router:
/// `POST /idp/token`, `GET /idp/jwks.json` and `GET /idp/auth.js` (see docs/IDENTITY.md).
///
/// They allow cross-origin calls from any page (retailer pages live on other origins; no cookies
/// are involved, the password travels in the body and the token in the answer).
public struct IdentityRoutes: Sendable {
    /// The largest login body read.
    public static let maxLoginBodySize = 16 * 1024

    public let issuer: TokenIssuer
    /// The proxies whose `X-Forwarded-For` names the client.
    public let trustedProxies: TrustedProxies
    /// The retailers on board, whose client ids a login may name (`client_id`); nil: a login naming one is refused.
    public let retailers: (any PartyStore)?

    public init(issuer: TokenIssuer, trustedProxies: TrustedProxies = .none, retailers: (any PartyStore)? = nil) {
        self.issuer = issuer
        self.trustedProxies = trustedProxies
        self.retailers = retailers
    }

    /// Adds the routes under `/idp` to `router`, whatever its request context.
    /// The login limits count failures per client address only when the context conforms to
    /// `RemoteAddressRequestContext`; otherwise every caller is the same client.
    public func addRoutes<Router: RouterMethods>(to router: Router) {
        let group = router.group("/idp")
            .add(middleware: CORSMiddleware<Router.Context>(
                allowOrigin: .all, allowHeaders: [.contentType, .accept], allowMethods: [.get, .post, .options],
                maxAge: .seconds(600)))
        group.post("token") { request, context in
            let peer = (context as? any RemoteAddressRequestContext)?.remoteAddress.flatMap(IPAddress.init)
            // HTTPField.Name is not exported by Hummingbird: the name is built where its type is implied.
            let forwardedFor = request.headers[values: .init("X-Forwarded-For")!]
            let client = trustedProxies.clientAddress(peer: peer, forwardedFor: forwardedFor)
            return await token(request, clientAddress: client, origin: request.headers[.origin])
        }
        // Lets the CORS middleware answer browsers' preflight requests for the JSON login.
        group.on("token", method: .options) { _, _ in Response(status: .noContent) }
        group.get("jwks.json") { _, _ in
            // Encoded on each request: the keys change when they are rotated.
            Self.response(.ok, Self.json(issuer.jwks), contentType: "application/json", cacheControl: "public, max-age=300")
        }
        group.get("auth.js") { _, _ in
            Self.response(.ok, AuthScript.source, contentType: "application/javascript; charset=utf-8", cacheControl: "public, max-age=300")
        }
    }

    private func token(_ request: Request, clientAddress: IPAddress?, origin: String?) async -> Response {
        let credentials: LoginRequest
        do {
            credentials = try await LoginRequest.read(from: request)
            if let clientID = credentials.clientID { try await checkClient(clientID, origin: origin) }
        } catch {
            return Self.errorResponse(error.status, code: error.code, message: error.message)
        }
        do {
            let token = try await issuer.login(
                username: credentials.username, password: credentials.password, clientAddress: clientAddress,
                authorizedParty: credentials.clientID)
            return Self.response(.ok, Self.json(token), contentType: "application/json", cacheControl: "no-store")
        } catch {
            switch error {
            case .invalidCredentials:
                return Self.errorResponse(.unauthorized, code: "invalid_credentials", message: error.description)
            case .rateLimited(let wait):
                return Self.errorResponse(.tooManyRequests, code: "rate_limited", message: error.description, retryAfter: wait)
            case .busy(let wait):
                return Self.errorResponse(.serviceUnavailable, code: "unavailable", message: error.description, retryAfter: wait)
            case .unavailable:
                return Self.errorResponse(.serviceUnavailable, code: "unavailable", message: error.description)
            }
        }
    }

    /// A client id is put in the token only for a retailer on board whose origins include the page's.
    private func checkClient(_ clientID: String, origin: String?) async throws(LoginRequest.Refusal) {
        let retailer: RetailerAccount?
        do {
            retailer = try await retailers?.retailer(clientID: clientID)
        } catch {
            throw LoginRequest.Refusal(status: .serviceUnavailable, code: "unavailable", message: "the retailers cannot be read: \(error)")
        }
        guard let retailer else {
            throw LoginRequest.Refusal(status: .badRequest, code: "unknown_client", message: "no retailer has the client id \"\(clientID)\"")
        }
        let normalized = origin.map(Self.normalizedOrigin)
        guard let normalized, retailer.origins.contains(where: { Self.normalizedOrigin($0) == normalized }) else {
            throw LoginRequest.Refusal(
                status: .forbidden, code: "origin_not_allowed",
                message: "the client id of retailer \"\(retailer.id)\" may only be used from its own pages (Origin \(origin ?? "missing"))")
        }
    }

    /// Scheme and host are case-insensitive (RFC 6454); a trailing slash is not part of an origin.
    private static func normalizedOrigin(_ origin: String) -> String {
        var text = origin.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    static func errorResponse(_ status: HTTPResponse.Status, code: String, message: String, retryAfter: Duration? = nil) -> Response {
        var response = response(status, json(HTTPErrorBody(code: code, message: message)), contentType: "application/json", cacheControl: "no-store")
        if let retryAfter { response.headers[.retryAfter] = "\(retryAfter.components.seconds)" }
        return response
    }

    private static func response(_ status: HTTPResponse.Status, _ body: String, contentType: String, cacheControl: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = cacheControl
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    private static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain structs cannot fail.
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
    }
}
