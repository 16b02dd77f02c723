/// Why a local server could not be started or stopped; the message says what to install or fix.
public struct LocalServerError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
