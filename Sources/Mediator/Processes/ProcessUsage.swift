import Foundation
import WSECore

/// What a process has used so far, kept in its row while usage is recorded (`MediatorConfiguration.usage`).
struct ProcessUsage: Sendable {
    let action: String
    let retailer: String?
    let start: Date
    var events = 0
    var bytes = 0
    var outcome: String?

    init(action: String, retailer: String?, start: Date) {
        self.action = action
        self.retailer = retailer
        self.start = start
    }

    /// Counts one piece of output as it is handed to the owner.
    mutating func count(_ output: ProcessOutput, state: ProcessState) {
        switch output {
        case .respond(let data):
            bytes += data.encodedSize
        case .emit(let data):
            events += 1
            bytes += data.encodedSize
        case .fail(let error):
            outcome = outcome ?? "error:\(error.code.rawValue)"
        case .finish(let reason):
            outcome = outcome ?? (state == .ended(.closedByAnswer) && reason == .done ? "answered" : reason.rawValue)
        }
    }

    /// The record of the process once it is over.
    func record(of process: ProcessRecord, end: Date) -> UsageRecord {
        UsageRecord(
            user: process.user.rawValue, retailer: retailer, provider: process.serving.provider, service: process.requestedService.rawValue,
            action: action, pid: process.pid.rawValue, start: start, end: end, outcome: outcome ?? "cancelled", events: events, bytes: bytes)
    }

    /// The record of a call refused before it became a process.
    static func refusal(
        of service: ServiceID, provider: String?, action: String, principal: Principal, code: ErrorCode, at now: Date
    ) -> UsageRecord {
        UsageRecord(
            user: principal.user.rawValue, retailer: principal.retailer, provider: provider, service: service.rawValue, action: action, pid: "",
            start: now, end: now, outcome: "refused:\(code.rawValue)", events: 0, bytes: 0)
    }

    /// The record of an unsolicited push to a user's sessions (no process: pid and action `""`), once delivered:
    /// one event per session reached, each carrying `data`.
    static func userPush(of service: ServiceID, provider: String?, to user: UserName, data: JSONValue, reached: Int, at now: Date) -> UsageRecord {
        UsageRecord(
            user: user.rawValue, retailer: nil, provider: provider, service: service.rawValue, action: "", pid: "", start: now, end: now,
            outcome: "pushed", events: reached, bytes: reached * data.encodedSize)
    }
}
