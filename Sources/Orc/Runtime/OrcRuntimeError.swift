/// An error raised by a site call. The call halts silently and the run reports one
/// `Error: <kind>: <message>` line; the kinds mimic orc.jar's JVM class names where the corpus
/// shows them (see docs/ORC.md for what differs).
public struct OrcRuntimeError: Error, Sendable, Equatable {
    public var kind: String
    public var message: String
    /// The call that failed, when known (not part of `line`, which mimics the reference).
    public var location: SourceLocation?

    public init(kind: String, message: String, location: SourceLocation? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    /// The line the reference prints: `Error: <kind>: <message>`.
    public var line: String { "Error: \(kind): \(message)" }

    /// Raised by the `Error(msg)` site and by host sites that fail with a message.
    public static func signalled(_ message: String) -> OrcRuntimeError {
        OrcRuntimeError(kind: "orc.error.runtime.ProgramSignalledError", message: message)
    }

    static func arity(expected: Int, got: Int) -> OrcRuntimeError {
        OrcRuntimeError(kind: "orc.error.runtime.ArityMismatchException",
                        message: "Arity mismatch, expected \(expected) arguments, got \(got) arguments.")
    }

    /// The reference's error when a site reads argument `missing` (0-based) of a call that has
    /// only `got` (e.g. `Semaphore()`).
    static func insufficientArguments(missing: Int, got: Int) -> OrcRuntimeError {
        OrcRuntimeError(kind: "orc.error.runtime.InsufficientArgsException",
                        message: "Arity mismatch, could not find argument \(missing), only got \(got) arguments.")
    }

    static func typeMismatch(_ site: String, expected: String, got: OrcValue) -> OrcRuntimeError {
        OrcRuntimeError(kind: "orc.error.runtime.ArgumentTypeMismatchException",
                        message: "\(site): expected \(expected), got \(got.formatted)")
    }

    static func java(_ exception: String, _ message: String) -> OrcRuntimeError {
        OrcRuntimeError(kind: "orc.error.runtime.JavaException", message: "\(exception): \(message)")
    }

    static let divideByZero = java("java.lang.ArithmeticException", "BigInteger divide by zero")

    static func uncallable(_ value: OrcValue) -> OrcRuntimeError {
        OrcRuntimeError(kind: "orc.error.runtime.UncallableValueException", message: "Value not callable: \(value.formatted)")
    }

    static func noSuchMember(_ name: String, of value: OrcValue) -> OrcRuntimeError {
        OrcRuntimeError(kind: "orc.error.runtime.NoSuchMemberException", message: "Value \(value.formatted) does not have a '\(name)' member")
    }
}
