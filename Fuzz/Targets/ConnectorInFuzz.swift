// libFuzzer target: a connector IN body (POST /connector/in/v1/events), through the JSON parser and
// InboundEvent.parse, as ConnectorInController reads it. Built with those sources by scripts/fuzz.sh.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConnectorIn(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if let body = try? JSONValue.parse(bytes) {
        _ = try? InboundEvent.parse(body)
    }
    return 0
}
