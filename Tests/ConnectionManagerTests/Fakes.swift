import Foundation
import Synchronization
import WSECore

/// A token verifier for tests. Tokens read `user:<name>` (valid for an hour), `user:<name>:ttl=<seconds>`,
/// or name a failure: `expired`, `badsig`, `wrongaud`. Lifetimes count from `wallClock`.
struct FakeTokens: TokenVerifying {
    var wallClock: @Sendable () -> Date = { Date() }

    func verify(token: String) async throws(TokenError) -> Principal {
        switch token {
        case "expired": throw .expired
        case "badsig": throw .badSignature
        case "wrongaud": throw .wrongAudience
        default: break
        }
        let parts = token.split(separator: ":").map(String.init)
        guard parts.count >= 2, parts[0] == "user" else { throw .malformed("not a test token") }
        var lifetime: TimeInterval = 3600
        if parts.count == 3, parts[2].hasPrefix("ttl="), let seconds = TimeInterval(parts[2].dropFirst(4)) { lifetime = seconds }
        return Principal(user: UserName(parts[1]), roles: ["subscriber"], expiresAt: wallClock().addingTimeInterval(lifetime))
    }
}

/// Records what the connection manager hands to the mediator. A request to service `echo` is answered
/// with a response carrying the request's data and the session's retailer; `cancel` knows only pid `p-known`.
final class FakeRequests: ClientRequestHandling {
    private struct State {
        var requests: [(ClientRequest, SessionContext)] = []
        var endedSessions: [SessionID] = []
        var output: (any SessionOutput)?
    }

    private let state = Mutex(State())

    func answer(through output: any SessionOutput) {
        state.withLock { $0.output = output }
    }

    var endedSessions: [SessionID] { state.withLock { $0.endedSessions } }
    var requestCount: Int { state.withLock { $0.requests.count } }

    func handle(_ request: ClientRequest, from session: SessionContext) async {
        let output = state.withLock { state in
            state.requests.append((request, session))
            return state.output
        }
        guard request.service == "echo", let output else { return }
        let data: JSONValue = ["echo": request.data, "retailer": session.principal.retailer.map { .string($0) } ?? .null]
        await output.send(.response(id: request.id, pid: ProcessID("p-\(request.id)"), data: data), toSession: session.id)
    }

    func cancel(pid: ProcessID, from session: SessionContext) async throws(ServiceError) {
        guard pid == "p-known" else { throw ServiceError(.unknownProcess, "no process \(pid) in this session") }
    }

    func sessionEnded(_ sessionID: SessionID) async {
        state.withLock { $0.endedSessions.append(sessionID) }
    }
}
