import WSEApp
import Foundation
import LocalServers
import Logging

/// One node process of ``ClusterDemo``: `wse serve --config FILE`, its output in a log file beside the file.
struct ClusterDemoNode: Sendable {
    let id: String
    let port: Int
    let process: ChildProcess

    var url: String { "http://127.0.0.1:\(port)" }

    /// Writes the node's configuration, starts it, and waits until it listens.
    static func start(
        id: String, file: ClusterNodeFile, folder: URL, reservation: PortReservation, executable: String, logLevel: Logger.Level
    ) async throws -> ClusterDemoNode {
        let configuration = folder.appendingPathComponent("\(id).json").path
        try file.write(to: configuration)
        let process = try ChildProcess(
            [executable, "serve", "--config", configuration, "--log-level", "\(logLevel)"],
            outputPath: folder.appendingPathComponent("\(id).log").path)
        // The node binds with SO_REUSEADDR, so the reservation may stay until it listens.
        try await LoopbackProbe.waitUntilListening(port: reservation.port, process: process, name: "node \(id)", timeout: .seconds(60))
        withExtendedLifetime(reservation) {}
        return ClusterDemoNode(id: id, port: reservation.port, process: process)
    }

    /// SIGTERM: the node closes its sessions with 1001 and stops.
    func stop() async {
        _ = await process.stop(grace: .seconds(15))
    }
}
