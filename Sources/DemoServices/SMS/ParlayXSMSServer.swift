import Foundation
import Synchronization
import WSECore

/// The demo's Parlay X-style Short Messaging Web service (`SendSms`, `GetSmsDeliveryStatus`):
/// `parlayx-sms-server.py`, served by the spyne SOAP library, run as a child process. The SOAP
/// connector's tests and `wse demo` start it; `stop()` ends it by its process id.
public final class ParlayXSMSServer: Sendable {
    /// Where it serves SOAP, e.g. `http://127.0.0.1:41234/sms`; the WSDL is at `wsdlURL`.
    public let url: String
    public var wsdlURL: String { url + "?wsdl" }
    public let processID: Int32
    private let process: Mutex<Process>
    private let exited: AsyncStream<Int32>

    /// Python or spyne is missing, or the server did not start: `message` says what to install or what happened.
    public struct Unavailable: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The server script shipped with this module.
    public static var scriptPath: String? { Bundle.module.url(forResource: "parlayx-sms-server", withExtension: "py")?.path }

    private init(url: String, process: sending Process, exited: AsyncStream<Int32>) {
        self.url = url
        self.processID = process.processIdentifier
        self.process = Mutex(process)
        self.exited = exited
    }

    /// Starts the server on a loopback port (0: system-chosen) and returns once it serves.
    /// - Parameters:
    ///   - soap: "1.1" or "1.2", the SOAP version of its single port.
    ///   - credentials: when given, every call needs a WS-Security UsernameToken with them (text or digest).
    public static func start(port: Int = 0, soap: String = "1.1", credentials: (username: String, password: String)? = nil) async throws(Unavailable) -> ParlayXSMSServer {
        guard let script = scriptPath else { throw Unavailable(message: "parlayx-sms-server.py is missing from the installation") }
        var arguments = ["python3", script, "--host", "127.0.0.1", "--port", String(port), "--soap", soap]
        if let credentials { arguments += ["--username", credentials.username, "--password", credentials.password] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        let (exited, exit) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { exit.yield($0.terminationStatus); exit.finish() }
        let (lines, line) = AsyncStream.makeStream(of: String.self)
        let reader = LineReader(line)
        output.fileHandleForReading.readabilityHandler = { handle in reader.consume(handle.availableData) }
        do {
            try process.run()
        } catch {
            throw Unavailable(message: "cannot start python3 (\(error)): install Python 3, then pip install spyne lxml")
        }
        for await text in lines {
            if let range = text.range(of: "listening on ") {
                let url = text[range.upperBound...].split(separator: " ").first.map(String.init) ?? ""
                return ParlayXSMSServer(url: url, process: process, exited: exited)
            }
            if text.hasPrefix("unavailable: ") {
                var statuses = exited.makeAsyncIterator()
                _ = await statuses.next()  // it exits right after saying so
                throw Unavailable(message: String(text.dropFirst("unavailable: ".count)))
            }
        }
        var statuses = exited.makeAsyncIterator()
        let status = await statuses.next() ?? -1
        throw Unavailable(message: status == 127
            ? "python3 is not installed: install Python 3, then pip install spyne lxml (scripts/install-test-deps.sh does both)"
            : "the Parlay X SMS server exited with status \(status) before serving")
    }

    /// Ends the server: SIGTERM to its process id, and SIGKILL if it has not exited 5 s later.
    public func stop() async {
        process.withLock { if $0.isRunning { $0.terminate() } }
        let exited = self.exited
        let ended = await withDeadline(.seconds(5), on: ContinuousClock()) {
            var statuses = exited.makeAsyncIterator()
            return await statuses.next()
        }
        if ended == nil {
            kill(processID, SIGKILL)
            var statuses = exited.makeAsyncIterator()
            _ = await statuses.next()
        }
    }
}

/// Splits a child's output into lines for an `AsyncStream`; the end of the output ends the stream.
private final class LineReader: Sendable {
    private let continuation: AsyncStream<String>.Continuation
    private let pending = Mutex(Data())

    init(_ continuation: AsyncStream<String>.Continuation) { self.continuation = continuation }

    func consume(_ data: Data) {
        guard !data.isEmpty else {
            continuation.finish()
            return
        }
        pending.withLock { buffer in
            buffer.append(data)
            while let newline = buffer.firstIndex(of: 0x0A) {
                continuation.yield(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                buffer.removeSubrange(buffer.startIndex...newline)
            }
        }
    }
}
