import Hummingbird
import WSECore

extension Request {
    /// The body as JSON, or nil when it is not JSON (or larger than `limit`).
    func jsonBody(limit: Int = 1 << 16) async -> JSONValue? {
        guard let buffer = try? await body.collect(upTo: limit) else { return nil }
        return try? JSONValue.parse(buffer.readableBytesView)
    }
}
