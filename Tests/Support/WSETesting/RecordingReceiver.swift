import Hummingbird
import HummingbirdCore
import WSECore

/// A small real HTTP server that records what is POSTed to it and answers a status the
/// test chooses: stands in for a notifyURL receiver or for WSE's connector IN.
public actor RecordingReceiver {
    public struct Delivery: Sendable {
        public var path: String
        public var authorization: String?
        public var body: JSONValue?
    }

    public private(set) var deliveries: [Delivery] = []
    public var answerStatus: HTTPResponse.Status = .accepted

    public init() {}

    public func setAnswer(_ status: HTTPResponse.Status) { answerStatus = status }

    private func record(_ delivery: Delivery) -> HTTPResponse.Status {
        deliveries.append(delivery)
        return answerStatus
    }

    /// - Parameter server: `.http1()`, or a TLS server for a receiver at an `https://` URL.
    public nonisolated func makeApplication(_ signal: PortSignal, server: HTTPServerBuilder = .http1()) -> some ApplicationProtocol {
        let router = Router()
        router.post("**") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let body = try? JSONValue.parse(bytes.readableBytesView)
            guard let batch = body?.arrayValue else {
                let status = await self.record(Delivery(path: request.uri.path, authorization: request.headers[.authorization], body: body))
                return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"delivered":1}"#)))
            }
            // Connector IN's batch form: each element recorded and answered as if posted alone.
            var results: [String] = []
            for push in batch {
                let status = await self.record(Delivery(path: request.uri.path, authorization: request.headers[.authorization], body: push))
                results.append(status.code < 300 ? #"{"status":\#(status.code),"delivered":1}"#
                               : #"{"status":\#(status.code),"error":{"code":"refused","message":"refused"}}"#)
            }
            let answer = #"{"results":["# + results.joined(separator: ",") + "]}"
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
        }
        let onRunning = signal.onRunning
        return Application(
            router: router, server: server, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { await onRunning($0.localAddress?.port ?? 0) })
    }
}
