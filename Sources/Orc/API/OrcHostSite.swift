import Foundation
import Synchronization

/// A site implemented by the host in Swift: an async function of the argument values.
/// The call is strict (it starts when all arguments are known); if the calling branch is killed
/// (pruning, or the run is killed) the task running `body` is cancelled.
public struct OrcHostSite: Sendable {
    public var body: @Sendable ([OrcValue]) async -> OrcHostReply

    public init(_ body: @escaping @Sendable ([OrcValue]) async -> OrcHostReply) {
        self.body = body
    }
}
