import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import WSECore

/// Posts data for a running process to WSE's connector IN (PROTOCOL.md).
struct ConnectorInClient: Sendable {
    enum Outcome: Equatable {
        case delivered
        /// WSE answered 404: the process is over, so the subscription must end.
        case unknownProcess
        case failed(String)
    }

    let httpClient: HTTPClient
    let key: String
    let timeout: TimeAmount = .seconds(5)

    func send(pid: String, data: JSONValue, final: Bool, to callback: String) async -> Outcome {
        var request = HTTPClientRequest(url: callback)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        let body: JSONValue = ["pid": .string(pid), "data": data, "final": .bool(final)]
        request.body = .bytes(ByteBuffer(string: body.jsonText))
        do {
            let response = try await httpClient.execute(request, timeout: timeout)
            let answer = try await response.body.collect(upTo: 1 << 16)
            switch response.status.code {
            case 200..<300: return .delivered
            case 404: return .unknownProcess
            default: return .failed("connector IN answered \(response.status.code): \(String(buffer: answer).prefix(200))")
            }
        } catch {
            return .failed("cannot reach connector IN at \(callback): \(error)")
        }
    }
}
