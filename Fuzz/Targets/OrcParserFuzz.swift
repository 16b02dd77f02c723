// libFuzzer target: Orc source through the lexer, parser and resolver (OrcProgram), as the CSDR checks a
// composition before storing it. Built with the Orc sources by scripts/fuzz.sh. Includes are off (no
// include folders), so no input reads a file. Run without LeakSanitizer (scripts/fuzz.sh says why).
import Foundation

/// Parses each input on one thread of its own rather than libFuzzer's main thread, as the CSDR does on a
/// pool thread: for the main thread glibc finds the stack by reading /proc/self/maps, which OrcProgram
/// asks for every program (`LargeStack.callersRemainingStack`), a fifth of the run's time. 8 MiB of
/// stack, as the main thread has, so that the same programs parse in place.
final class OrcParseThread: @unchecked Sendable {  // `source` is handed over through the two semaphores
    private let sourceReady = DispatchSemaphore(value: 0)
    private let parsed = DispatchSemaphore(value: 0)
    private var source = ""

    init() {
        let thread = Thread { [self] in
            while true {
                sourceReady.wait()
                _ = try? OrcProgram(source: source, file: "composition:fuzz")
                parsed.signal()
            }
        }
        thread.stackSize = 8 << 20
        thread.name = "orc-fuzz"
        thread.start()
    }

    func parse(_ text: String) {
        source = text
        sourceReady.signal()
        parsed.wait()
    }
}

let parseThread = OrcParseThread()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOrcParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    parseThread.parse(String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
    return 0
}
