import Foundation
import Synchronization

/// Moves a non-Sendable value to the run's thread, which becomes its only user.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
