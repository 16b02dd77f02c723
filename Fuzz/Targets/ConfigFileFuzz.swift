// libFuzzer target: a YAML configuration file through ConfigFile.decode (Yams, then the error mapping to
// file:line:column). Built with ConfigFile and Yams by scripts/fuzz.sh, into one module. The shape below
// has what the node's and connectors' configurations have: nested sections, lists, optionals, numbers.

struct FuzzedConfiguration: Decodable {
    struct Section: Decodable {
        var host: String?
        var port: Int?
        var timeout: Double?
        var enabled: Bool?
        var origins: [String]?
    }

    struct Service: Decodable {
        var id: String
        var kind: String?
        var endpoint: String?
        var alternatives: [String]?
        var access: [String: [String]]?
        var capacity: Int?
    }

    var node: Section?
    var sessions: Section?
    var services: [Service]?
    var users: [String: [String: String]]?
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        _ = try ConfigFile.decode(FuzzedConfiguration.self, yaml: text, file: "fuzz.yaml")
    } catch {
        _ = error.description
    }
    return 0
}
