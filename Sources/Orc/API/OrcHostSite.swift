import Foundation
import Synchronization

/// A site implemented by the host in Swift: an async function of the argument values.
/// The call is strict (it starts when all arguments are known); if the calling branch is killed
/// (pruning, or the run is killed) the task running `body` is cancelled. The arguments are a copy
/// that shares nothing with the run (sites and closures other than host streams arrive as their
/// printed form), and the reply is handed over to the run's thread (`sending`: build it fresh).
public struct OrcHostSite: Sendable {
    public var body: @Sendable ([OrcValue]) async -> sending OrcHostReply

    public init(_ body: @escaping @Sendable ([OrcValue]) async -> sending OrcHostReply) {
        self.body = body
    }
}
