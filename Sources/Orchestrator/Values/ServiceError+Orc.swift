import Orc
import WSECore

extension ServiceError {
    /// The prefix of the kind of an `OrcRuntimeError` raised by a WSE site, followed by the error code.
    static let orcKindPrefix = "wse."

    /// The error as a WSE site raises it inside the program: the call halts, and the run's error
    /// report can give the client the original code back.
    var orcError: OrcRuntimeError {
        OrcRuntimeError(kind: Self.orcKindPrefix + code.rawValue, message: message)
    }

    /// The error a client is sent for a runtime error of a composition: a WSE site keeps its code
    /// (`forbidden`, `unknown_service`, …); any other error of the program (a wrong argument, a
    /// division by zero, `Error(…)`) is `unavailable`, with the engine's error line as the message.
    init(reporting error: OrcRuntimeError, composition: String) {
        if error.kind.hasPrefix(Self.orcKindPrefix), let code = ErrorCode(rawValue: String(error.kind.dropFirst(Self.orcKindPrefix.count))) {
            self.init(code, error.message)
        } else {
            self.init(.unavailable, "composition \"\(composition)\": \(error.line)")
        }
    }
}
