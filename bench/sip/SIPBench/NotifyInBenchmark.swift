import Foundation
import IMSConnector
import SIP
import Synchronization
import WSECore

/// The NOTIFY→connector-IN path alone: the benchmark plays the presence server. The connector's
/// `watcher` subscribes to `contacts` entities at a bare SIP endpoint of the benchmark (200 to
/// every SUBSCRIBE, no authentication), which then sends one NOTIFY per change in those dialogs.
/// Measured: from handing the NOTIFY to the transaction layer to its push arriving at connector IN
/// (UDP, parsing, transaction layer, user agent, the user's delivery queue, the HTTP push).
enum NotifyInBenchmark {
    /// The notifier's side of one subscription dialog.
    struct Dialog: Sendable {
        let callID: String
        let watcher: String
        let watcherTag: String
        let localTag: String
        let destination: SIPEndpoint
    }

    final class Dialogs: Sendable {
        let byEntity = Mutex<[String: Dialog]>([:])
    }

    static func run(contacts: Int, changes: Int) async throws {
        let dialogs = Dialogs()
        let notifier = SIPTransactionLayer()
        let transport = try await notifier.start(.init(tcpPort: nil)) { request, source in
            guard request.method == .subscribe, let from = try? request.headers.from(), let fromTag = from.tag,
                  let callID = try? request.headers.callID() else { return SIPResponse(to: request, statusCode: 400) }
            let localTag = SIPIdentifiers.tag()
            dialogs.byEntity.withLock {
                $0[request.uri.addressOfRecord] = Dialog(callID: callID, watcher: from.uri.description, watcherTag: fromTag,
                                                         localTag: localTag, destination: source)
            }
            var response = SIPResponse(to: request, statusCode: 200, toTag: localTag)
            response.headers.add(SIPHeaderName.expires, "600")
            return response
        }
        let arrivals = PresenceArrivals()
        let inPort = try await startConnectorIN { push, time in await arrivals.record(push, at: time) }
        let callback = "http://127.0.0.1:\(inPort)/connector/in/v1/events"
        let connector = try makeConnector(server: SIPEndpoint(.udp, transport.udpAddress!), users: ["watcher"])

        let setup = ContinuousClock.now
        try await forEachConcurrently(Array(0..<contacts), width: 50) { index in
            let call = ConnectorCall(pid: "p\(index)", service: "sip", action: "subscribe", user: "watcher",
                                     data: ["entity": .string("sip:c\(index)@127.0.0.1")], callback: callback)
            _ = try await connector.handle(call)
        }
        let known = dialogs.byEntity.withLock { $0 }
        guard known.count == contacts else { throw BenchFailure("\(known.count) of \(contacts) SUBSCRIBEs arrived") }
        report("notify-in: \(contacts) subscriptions set up in \(ContinuousClock.now - setup)")

        var samples: [Duration] = []
        for change in 0..<changes {
            let entity = "sip:c\(change % contacts)@127.0.0.1"
            let request = notify(known[entity]!, entity: entity, sequence: UInt32(change / contacts + 1), note: "\(change)")
            let started = ContinuousClock.now
            let response = try await notifier.send(request, to: known[entity]!.destination)
            guard response.statusCode == 200 else { throw BenchFailure("NOTIFY \(change) was answered \(response.statusCode)") }
            guard let arrived = await arrivals.arrival(of: change) else {
                throw BenchFailure("the push for NOTIFY \(change) did not reach connector IN within 10 s")
            }
            samples.append(arrived - started)
        }
        report("notify-in: NOTIFY sent -> presence push at connector IN, \(contacts) watched contacts: \(percentiles(samples))")
        await connector.shutdown()
        await notifier.close()
    }

    static func notify(_ dialog: Dialog, entity: String, sequence: UInt32, note: String) -> SIPRequest {
        var request = SIPRequest(method: .notify, uri: (try? SIPURI(parsing: dialog.watcher)) ?? SIPURI(host: "127.0.0.1"))
        request.headers = [
            "From": "<\(entity)>;tag=\(dialog.localTag)", "To": "<\(dialog.watcher)>;tag=\(dialog.watcherTag)",
            "Call-ID": dialog.callID, "CSeq": "\(sequence) NOTIFY", "Event": "presence",
            "Subscription-State": "active;expires=600", "Content-Type": PIDFDocument.contentType,
        ]
        request.body = Array(PIDFDocument(entity: entity, basic: .open, note: note).xml.utf8)
        return request
    }
}
