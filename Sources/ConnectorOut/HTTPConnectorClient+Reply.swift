import AsyncHTTPClient
import NIOCore
import NIOPosix
import WSECore

extension HTTPConnectorClient {
    /// Reads a connector's answer: 200 `{"data":…}`, 202, or an error status with (ideally) an error body.
    static func interpret(status: Int, body: ByteBuffer) throws(ConnectorFailure) -> ConnectorReply {
        switch status {
        case 200:
            guard let reply = try? JSONValue.parse(body.readableBytesView), let object = reply.objectValue else {
                throw .malformedReply("200 reply is not a JSON object")
            }
            guard let data = object["data"] else { throw .malformedReply("200 reply has no \"data\" member") }
            return .result(data)
        case 202:
            return .accepted
        case 400...599:
            let error = (try? JSONValue.parse(body.readableBytesView))?["error"]
            let code = error?["code"]?.stringValue
            let message = error?["message"]?.stringValue ?? Self.excerpt(of: body) ?? "HTTP \(status)"
            throw .refused(status: status, code: code, message: message)
        default:
            throw .malformedReply("unexpected HTTP status \(status)")
        }
    }

    /// Sorts a transport error into timeout or unreachable.
    static func classify(_ error: any Error) -> ConnectorFailure {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout: return .timeout
            case .connectTimeout: return .unreachable("connect timed out")
            case .remoteConnectionClosed: return .unreachable("connector closed the connection")
            default: return .unreachable("\(error)")
            }
        }
        if let error = error as? NIOConnectionError {
            return .unreachable("cannot connect to \(error.host):\(error.port)")
        }
        return .unreachable("\(error)")
    }

    /// The start of a non-JSON error body, as printable text, for the error message.
    private static func excerpt(of body: ByteBuffer) -> String? {
        guard body.readableBytes > 0 else { return nil }
        let text = String(decoding: body.readableBytesView.prefix(200), as: UTF8.self)
        let printable = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F })
        return printable.isEmpty ? nil : printable
    }
}
