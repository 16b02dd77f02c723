import Foundation
import Synchronization

/// Runs the recursive phases of making a program (parsing, resolving, dropping a refused tree) on
/// a thread of their own with a large stack: a debug build spends kilobytes of stack per level of
/// nesting, so the caller's stack (512 KiB on some platforms) could not hold even the limits the
/// parser enforces. The caller waits; the work is CPU-bound and short, as it would be in place.
enum LargeStack {
    /// Reserved, not committed: only the pages a deep program touches are used.
    static let size = 256 << 20

    static func run<Result: Sendable>(_ work: @escaping @Sendable () throws(OrcParseError) -> Result) throws(OrcParseError) -> Result {
        let outcome = Mutex<Swift.Result<Result, OrcParseError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let result: Swift.Result<Result, OrcParseError>
            do throws(OrcParseError) { result = .success(try work()) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            done.signal()
        }
        thread.stackSize = size
        thread.name = "orc-parse"
        thread.start()
        done.wait()
        guard let result = outcome.withLock({ $0.take() }) else { preconditionFailure("the parse thread ended without a result") }
        return try result.get()
    }
}
