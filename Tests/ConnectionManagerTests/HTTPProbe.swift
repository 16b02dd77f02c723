import NIOCore
import NIOPosix

/// One plain HTTP/1.1 request over loopback TCP; returns the whole response text.
enum HTTPProbe {
    /// - Parameter headers: the header lines after `Host`, each ending in `\r\n`.
    static func get(_ path: String, port: Int, headers: String = "Connection: close\r\n") async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(headers)\r\n"))
            var response = ""
            for try await chunk in inbound { response += String(buffer: chunk) }
            return response
        }
    }
}
