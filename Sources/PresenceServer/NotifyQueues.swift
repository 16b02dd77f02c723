import SIP

/// The NOTIFYs of each dialog that wait to be sent, so that a dialog's NOTIFYs leave one at a time
/// in CSeq order: sent each from a task of its own, a newer state could overtake an older one.
/// A dialog is here while one of its NOTIFYs is in flight (the first) or waiting.
struct NotifyQueues {
    private var waiting: [String: [(request: SIPRequest, destination: SIPEndpoint)]] = [:]

    /// Adds a NOTIFY of `dialog`; true when the dialog had none in flight, so a sender must start for it.
    mutating func enqueue(_ request: SIPRequest, to destination: SIPEndpoint, dialog: String) -> Bool {
        guard waiting[dialog] == nil else {
            waiting[dialog]?.append((request, destination))
            return false
        }
        waiting[dialog] = [(request, destination)]
        return true
    }

    /// The dialog's NOTIFY to send now (it stays first until `sent`); nil, and the dialog is
    /// forgotten, when none is left.
    mutating func next(of dialog: String) -> (request: SIPRequest, destination: SIPEndpoint)? {
        guard let first = waiting[dialog]?.first else {
            waiting[dialog] = nil
            return nil
        }
        return first
    }

    /// The dialog's first NOTIFY got its final response.
    mutating func sent(_ dialog: String) { waiting[dialog]?.removeFirst() }

    /// Forgets the dialog's waiting NOTIFYs (the watcher is gone).
    mutating func drop(_ dialog: String) { waiting[dialog] = nil }
}
