// libFuzzer target: Orc source through the lexer, parser and resolver (OrcProgram), as the CSDR checks a
// composition before storing it. Built with the Orc sources by scripts/fuzz.sh. Includes are off (no
// include folders), so no input reads a file. Run without LeakSanitizer (scripts/fuzz.sh says why).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOrcParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? OrcProgram(source: source, file: "composition:fuzz")
    return 0
}

