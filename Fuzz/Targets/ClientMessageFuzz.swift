// libFuzzer target: a WebSocket text frame from a browser, through WSECore's JSON parser and ClientMessage.decode.
// Built with WSECore's message sources by scripts/fuzz.sh. Checks, besides "no crash": a parsed value written
// back as JSON parses to the same value.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClientMessage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    _ = try? ClientMessage.decode(bytes)
    if let value = try? JSONValue.parse(bytes) {
        let again = try? JSONValue.parse(value.jsonText)
        precondition(again == value, "JSON round trip changed \(value) into \(String(describing: again))")
    }
    return 0
}
