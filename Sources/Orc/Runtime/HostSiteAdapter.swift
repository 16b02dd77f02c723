import Foundation
import Synchronization

/// Runs a host site on the Swift concurrency pool and posts its reply to the interpreter.
final class HostSiteAdapter: Site {
    let host: OrcHostSite

    init(name: String, host: OrcHostSite) {
        self.host = host
        super.init(name: name)
    }

    override func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome {
        // Only the call's number and a detached copy of the arguments leave the interpreter thread.
        let callNumber = call.interpreter.registerHostCall(call)
        let mailbox = call.interpreter.mailbox
        let body = host.body
        let detachedArguments = OrcValue.detached(arguments)
        let task = Task {
            let reply = await body(detachedArguments)
            mailbox.post(.hostReply(callNumber, reply))
        }
        call.onKill { task.cancel() }
        return .pending(quiescent: false)
    }
}
