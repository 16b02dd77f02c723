// libFuzzer target: one SIP datagram or stream message, through SIPMessageParser. Built with the SIP
// message and parser sources by scripts/fuzz.sh. Checks, besides "no crash": a message the parser
// accepts, serialized again, is accepted again, as the same request or response.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSIPMessage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parser = SIPMessageParser()
    for isStream in [false, true] {
        guard let message = try? parser.parse(bytes, isStream: isStream) else { continue }
        let written = message.serialized()
        do {
            let again = try parser.parse(written, isStream: true)
            precondition(again.serialized() == written, "serializing a reparsed message changed it")
        } catch {
            preconditionFailure("a parsed message, serialized, does not parse: \(error)\n\(String(decoding: written, as: UTF8.self))")
        }
    }
    return 0
}
