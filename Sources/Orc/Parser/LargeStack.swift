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

extension LargeStack {
    /// Parsing in place needs this much of the caller's stack left: the in-place limits
    /// (`Parser.fitsOnCallersStack`) with the prelude's 173 declarations come to about 3 MiB in a
    /// debug build (some 2 KiB per level of the tree, 17 KiB per level of nesting).
    static let neededInPlace = 4 << 20

    /// The bytes left below the current frame on the calling thread's stack, where the platform
    /// tells (Linux); nil elsewhere, which sends every program to the large stack.
    static var callersRemainingStack: Int? {
        #if canImport(Glibc)
        // glibc's pthread_getattr_np (the current thread's real stack) is not in the Glibc module.
        typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else { return nil }
        let getAttributes = unsafeBitCast(symbol, to: GetAttributes.self)
        var attributes = pthread_attr_t()
        guard getAttributes(pthread_self(), &attributes) == 0 else { return nil }
        defer { pthread_attr_destroy(&attributes) }
        var lowest: UnsafeMutableRawPointer?
        var size = 0
        guard pthread_attr_getstack(&attributes, &lowest, &size) == 0, let lowest else { return nil }
        var marker = 0
        return withUnsafeMutablePointer(to: &marker) { UnsafeMutableRawPointer($0) - lowest }
        #else
        return nil
        #endif
    }
}
