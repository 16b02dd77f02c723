/// Why a SIP message, header or URI was refused, in words a log reader understands.
public struct SIPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
