import Foundation
import Synchronization

/// Runs a host site on the Swift concurrency pool and posts its reply to the interpreter.
final class HostSiteAdapter: Site, @unchecked Sendable {
    let host: OrcHostSite

    init(name: String, host: OrcHostSite) {
        self.host = host
        super.init(name: name)
    }

    override func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome {
        let interpreter = call.interpreter
        interpreter.pendingExternal += 1
        let pending = PendingHostCall(call: call)
        let mailbox = interpreter.mailbox
        let body = host.body
        let task = Task {
            let reply = await body(arguments)
            mailbox.post(.hostReply(pending, reply))
        }
        call.onKill { task.cancel() }
        return .pending(quiescent: false)
    }
}
