import Foundation
import Synchronization

/// What a host site answers to one call.
public enum OrcHostReply {
    /// The call publishes this value.
    case publish(OrcValue)
    /// The call halts silently.
    case halt
    /// The call fails: the run reports an `Error:` line and the call halts.
    case error(OrcRuntimeError)
}
