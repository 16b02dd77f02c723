import Foundation
import Hummingbird
import Logging
import NIOCore
import WSECore

/// Connector IN: the endpoint where service connectors push data (PROTOCOL.md, "Connector IN").
///
/// `POST /connector/in/v1/events` with the connector's key as a bearer token. Checks in order: key (401),
/// rate (429 with `Retry-After`), size (413), JSON and shape (400); then hands the event to the
/// `ConnectorInbound` port and answers 202 `{"delivered":n}`, 404 or 403. Statuses and metrics: docs/MEDIATOR.md.
public struct ConnectorInController: Sendable {
    public static let path: RouterPath = "/connector/in/v1/events"

    let inbound: any ConnectorInbound
    let configuration: ConnectorInConfiguration
    let throttle: ConnectorThrottle?
    let metrics: ConnectorInMetrics
    let logger: Logger

    public init(
        inbound: any ConnectorInbound, configuration: ConnectorInConfiguration = .init(),
        logger: Logger = Logger(label: "wse.connector-in")
    ) {
        self.init(inbound: inbound, configuration: configuration, now: { ContinuousClock.now }, logger: logger)
    }

    /// - Parameter now: the throttle's clock; tests replace it.
    init(
        inbound: any ConnectorInbound, configuration: ConnectorInConfiguration, now: @escaping @Sendable () -> ContinuousClock.Instant,
        logger: Logger = Logger(label: "wse.connector-in")
    ) {
        self.inbound = inbound
        self.configuration = configuration
        self.throttle = configuration.rate.map { ConnectorThrottle(rate: $0, now: now) }
        self.metrics = ConnectorInMetrics(factory: configuration.metricsFactory)
        self.logger = logger
    }

    /// Adds `POST /connector/in/v1/events` to a router (or router group) of any request context.
    public func addRoutes<Context: RequestContext>(to router: some RouterMethods<Context>) {
        router.post(Self.path) { request, _ in
            let response = await self.receive(request)
            self.metrics.answered(status: response.status.code)
            return response
        }
    }

    func receive(_ request: Request) async -> Response {
        guard let key = Self.bearerKey(request.headers[.authorization]), let connector = await inbound.connector(forKey: key) else {
            return Self.error(.unauthorized, "unauthorized", "a valid connector key is required as \"Authorization: Bearer <key>\"")
        }
        if let wait = throttle?.take(key) {
            let seconds = max(1, Int((Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18).rounded(.up)))
            var response = Self.error(.tooManyRequests, "throttled", "this connector pushes faster than its rate; retry in \(seconds) s")
            response.headers[.retryAfter] = String(seconds)
            return response
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > configuration.maxBodyBytes {
            return tooLarge
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: configuration.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            return tooLarge
        } catch {
            return Self.error(.badRequest, "bad_request", "the body could not be read: \(error)")
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(body.readableBytesView)
        } catch {
            return Self.error(.badRequest, "bad_request", error.description)
        }
        if case .array(let items) = json {
            return await receive(batch: items, key: key, from: connector)
        }
        switch await deliver(json, from: connector) {
        case .delivered(let count):
            return Self.json(.accepted, "{\"delivered\":\(count)}")
        case .refused(let status, let code, let message):
            return Self.error(status, code, message)
        }
    }

    /// What became of one push: delivered, or refused with the status and error it is answered with.
    enum PushResult: Equatable {
        case delivered(Int)
        case refused(HTTPResponse.Status, code: String, message: String)
    }

    /// Checks the shape of one push and hands it to the mediator.
    func deliver(_ json: JSONValue, from connector: ConnectorIdentity) async -> PushResult {
        let event: InboundEvent
        do {
            event = try InboundEvent.parse(json)
        } catch {
            return .refused(.badRequest, code: "bad_request", message: error.reason)
        }
        let outcome: InboundOutcome
        switch event {
        case .processData(let pid, let data, let final):
            outcome = await inbound.processData(pid: pid, data: data, final: final, from: connector)
        case .userPush(let user, let service, let data):
            outcome = await inbound.userPush(user: user, service: service, data: data, from: connector)
        }
        switch outcome {
        case .delivered(let count):
            return .delivered(count)
        case .notFound(let why):
            return .refused(.notFound, code: "not_found", message: why)
        case .forbidden(let why):
            logger.notice("connector pushed outside its services", metadata: ["reason": "\(why)"])
            return .refused(.forbidden, code: "forbidden", message: why)
        case .unavailable(let why):
            return .refused(.serviceUnavailable, code: "unavailable", message: why)
        }
    }

    /// The batch form (docs/PROTOCOL-EXTENSIONS.md): a JSON array of pushes, delivered in order, answered
    /// 200 `{"results":[…]}` with one result per element, as the element alone would have been answered:
    /// `{"status":202,"delivered":n}` or `{"status":…,"error":{"code","message"}}`. A bad element spoils no
    /// other; each element takes a token of the rate (the request took the first), and those past the
    /// tokens left are answered 429.
    func receive(batch items: [JSONValue], key: String, from connector: ConnectorIdentity) async -> Response {
        guard !items.isEmpty else { return Self.error(.badRequest, "bad_request", "a batch needs at least one push") }
        let granted = 1 + (throttle?.take(key, upTo: items.count - 1) ?? items.count - 1)
        var text = "{\"results\":["
        for (index, item) in items.enumerated() {
            if index > 0 { text += "," }
            let result = index < granted ? await deliver(item, from: connector) : Self.throttledInBatch
            switch result {
            case .delivered(let count):
                text += "{\"status\":202,\"delivered\":\(count)}"
            case .refused(let status, let code, let message):
                text += "{\"status\":\(status.code),"
                Self.writeError(code, message, to: &text)
                text += "}"
            }
        }
        text += "]}"
        return Self.json(.ok, text)
    }

    private static let throttledInBatch = PushResult.refused(
        .tooManyRequests, code: "throttled", message: "this connector pushes faster than its rate; retry later")

    private var tooLarge: Response {
        Self.error(.contentTooLarge, "too_large", "the body is larger than \(configuration.maxBodyBytes) bytes")
    }

    /// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive).
    static func bearerKey(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        var text = "{"
        writeError(code, message, to: &text)
        text += "}"
        return json(status, text)
    }

    /// `"error":{"code","message"}`, the member every error answer carries.
    static func writeError(_ code: String, _ message: String, to text: inout String) {
        text += "\"error\":{\"code\":"
        JSONValue.writeString(code, to: &text)
        text += ",\"message\":"
        JSONValue.writeString(message, to: &text)
        text += "}"
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
