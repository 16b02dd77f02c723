import Foundation

/// A host site call in flight, carried through the mailbox back to the interpreter thread.
final class PendingHostCall: @unchecked Sendable {
    let call: SiteCall
    init(call: SiteCall) { self.call = call }
}
