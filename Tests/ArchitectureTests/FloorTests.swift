import Foundation
import Testing

/// The house of docs/ARCHITECTURE.md, checked against the code: every target sits on a floor and
/// imports only targets of lower floors; the components of floor 2 never import each other.
@Suite struct FloorTests {
    /// Each of our targets and its floor. A new target must be placed here (and in the docs).
    static let floors: [String: Int] = [
        "WSECore": 1, "Orc": 1, "SIP": 1, "ConfigFile": 1, "WebAssets": 1, "WSELifecycle": 1, "LocalServers": 1, "ConnectorKit": 1,
        "Storage": 2, "IdentityProxy": 2, "ConnectionManager": 2, "Mediator": 2, "ConnectorIn": 2,
        "ConnectorOut": 2, "Orchestrator": 2, "RESTConnector": 2, "SOAPConnector": 2, "IMSConnector": 2, "DemoServices": 2,
        "PresenceServer": 2, "OrcBenchmark": 2, "Cluster": 2,
        "WSEApp": 3, "Demo": 3,
        "wse": 4,
    ]
    /// Same-floor imports that are part of the design: the demo deployment is built on a node; the
    /// connectors' shared kit speaks the shared vocabulary.
    static let allowedSideways: Set<String> = ["Demo -> WSEApp", "ConnectorKit -> WSECore", "ConnectorKit -> ConfigFile"]

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Target name → the set of our modules its Swift files import.
    static func imports() throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        let sources = repository.appendingPathComponent("Sources")
        var folders = try FileManager.default.contentsOfDirectory(atPath: sources.path).map { (name: $0, url: sources.appendingPathComponent($0)) }
        folders.append((name: "WebAssets", url: repository.appendingPathComponent("Public")))
        for folder in folders {
            var found: Set<String> = []
            let files = FileManager.default.enumerator(at: folder.url, includingPropertiesForKeys: nil)
            while let file = files?.nextObject() as? URL {
                guard file.pathExtension == "swift" else { continue }
                for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                    if let module = importedModule(line), floors[module] != nil { found.insert(module) }
                }
            }
            result[folder.name] = found
        }
        return result
    }

    /// The module of an import declaration (`import X`, `@testable import X`, `public import X`,
    /// `import struct X.Y`), or nil for any other line.
    static func importedModule(_ line: Substring) -> String? {
        let words = line.split(separator: " ")
        guard let index = words.firstIndex(of: "import"), words[..<index].allSatisfy({ $0.hasPrefix("@") || $0 == "public" || $0 == "internal" || $0 == "package" })
        else { return nil }
        let kinds: Set<Substring> = ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"]
        guard let path = words[(index + 1)...].first(where: { !kinds.contains($0) }) else { return nil }
        return path.split(separator: ".").first.map(String.init)
    }

    @Test func everyTargetHasAFloor() throws {
        let unplaced = try Self.imports().keys.filter { Self.floors[$0] == nil }
        #expect(unplaced.isEmpty, "targets without a floor in FloorTests.floors and docs/ARCHITECTURE.md: \(unplaced.sorted())")
    }

    /// One test target per source target (the executable is exercised by the integration and browser tests).
    @Test func everyTargetHasItsTestTarget() throws {
        let tests = Set(try FileManager.default.contentsOfDirectory(atPath: Self.repository.appendingPathComponent("Tests").path))
        let missing = try Self.imports().keys.filter { $0 != "wse" && !tests.contains($0 + "Tests") }
        #expect(missing.isEmpty, "targets without Tests/<Target>Tests: \(missing.sorted())")
    }

    @Test func importsPointDownOnly() throws {
        var violations: [String] = []
        for (target, modules) in try Self.imports() {
            guard let floor = Self.floors[target] else { continue }
            for module in modules where module != target {
                let edge = "\(target) -> \(module)"
                if Self.floors[module]! >= floor && !Self.allowedSideways.contains(edge) { violations.append(edge) }
            }
        }
        #expect(violations.isEmpty, "imports that do not point to a lower floor: \(violations.sorted())")
    }

    @Test func theStandAloneLibrariesImportNothingOfOurs() throws {
        let imports = try Self.imports()
        for library in ["Orc", "SIP", "WSECore", "ConfigFile"] {
            #expect(imports[library, default: []].subtracting([library]).isEmpty, "\(library) imports \(imports[library]!.sorted())")
        }
        #expect(imports["IMSConnector", default: []].subtracting(["IMSConnector"]).isSubset(of: ["SIP", "WSECore", "ConfigFile", "ConnectorKit"]))
    }

    /// The checker itself: it must see the imports it is meant to police.
    @Test func theCheckerSeesKnownImports() throws {
        #expect(Self.importedModule("@testable import Mediator") == "Mediator")
        #expect(Self.importedModule("import struct SIP.SIPURI") == "SIP")
        #expect(Self.importedModule("// we import nothing") == nil)
        let imports = try Self.imports()
        #expect(imports["WSEApp"]?.contains("Mediator") == true)
        #expect(imports["IMSConnector"]?.contains("SIP") == true)
        #expect(imports["Demo"]?.contains("WSEApp") == true)
    }
}

/// docs/ARCHITECTURE.md says what the code is: its floor table names every target on its floor.
@Suite struct ArchitectureDocumentTests {
    static var document: String {
        get throws {
            try String(contentsOf: FloorTests.repository.appendingPathComponent("docs/ARCHITECTURE.md"), encoding: .utf8)
        }
    }

    /// Rows `| <floor> | `<target>` | …` of the floor table.
    static func documentedFloors(_ text: String) -> [String: Int] {
        var floors: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 3, let floor = Int(cells[1]), cells[2].hasPrefix("`") else { continue }
            floors[cells[2].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = floor
        }
        return floors
    }

    @Test func theFloorTableMatchesTheCode() throws {
        #expect(Self.documentedFloors(try Self.document) == FloorTests.floors)
    }

    /// The names in backticks in the first column of the port table (rows after its `| port |` header).
    static func documentedPorts(_ text: String) -> Set<String> {
        var ports: Set<String> = []
        var inTable = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("| port |") { inTable = true; continue }
            guard inTable else { continue }
            guard line.hasPrefix("|") else { break }
            let firstCell = line.split(separator: "|", omittingEmptySubsequences: false)[1]
            let pieces = firstCell.split(separator: "`", omittingEmptySubsequences: false)
            // Odd pieces are inside backticks; a port name starts with a capital letter.
            for (index, piece) in pieces.enumerated() where index % 2 == 1 && piece.first?.isUppercase == true {
                ports.insert(String(piece))
            }
        }
        return ports
    }

    /// The protocols declared in Sources/WSECore/Ports.
    static func declaredPorts() throws -> Set<String> {
        let folder = FloorTests.repository.appendingPathComponent("Sources/WSECore/Ports")
        var ports: Set<String> = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
            for line in try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8).split(separator: "\n") {
                let words = line.split(separator: " ")
                if words.count > 2, words[0] == "public", words[1] == "protocol" {
                    ports.insert(String(words[2].prefix { $0.isLetter || $0.isNumber }))
                }
            }
        }
        return ports
    }

    @Test func thePortTableNamesEveryPortAndNoOther() throws {
        let declared = try Self.declaredPorts()
        #expect(declared.contains("SessionOutput") && declared.contains("TokenVerifying"))
        #expect(Self.documentedPorts(try Self.document) == declared)
    }
}
