import Foundation
import Testing

/// scripts/fuzz.sh compiles WSECore's message code with `swiftc` alone, without swift-crypto: so in WSECore only
/// the files under `Security/` may import Crypto.
@Suite struct FuzzSourcesTests {
    @Test func onlyWSECoreSecurityImportsCrypto() throws {
        let root = FloorTests.repository.appendingPathComponent("Sources/WSECore")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(!files.isEmpty)
        var offenders: [String] = []
        for file in files where !file.path.contains("/Security/") {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            if lines.contains(where: { $0.hasPrefix("import Crypto") }) { offenders.append(file.lastPathComponent) }
        }
        #expect(offenders.isEmpty, "move the code that needs Crypto into Sources/WSECore/Security/: \(offenders)")
    }
}
