/// Why a node could not start, said so that the operator knows what to change.
public struct NodeStartupError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
