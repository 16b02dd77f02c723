import Foundation
import Logging
import Testing
import WSEApp

/// `wse keys list` and `wse keys rotate` on a node's SQLite file: what the operator sees.
@Suite struct SigningKeyAdministrationTests {
    @Test func rotatingListsTheNewKeyAsSigningAndTheOldOneAsVerifyingWithoutPrivateKeys() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wse-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = SigningKeyAdministration.Target(database: directory.appendingPathComponent("wse.sqlite").path, tokenLifetime: .seconds(600))
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let start = Date(timeIntervalSince1970: 1_800_000_000)

        let first = try await SigningKeyAdministration.list(target, now: start, logger: logger)
        let firstLines = first.split(separator: "\n")
        #expect(firstLines.count == 2 && firstLines[0].hasPrefix("KID") && firstLines[1].hasSuffix("signing"), "\(first)")

        let rotated = try await SigningKeyAdministration.rotate(target, now: start.addingTimeInterval(60), logger: logger)
        let message = SigningKeyAdministration.describeRotation(of: rotated, target)
        #expect(message.contains(rotated.kid) && message.contains("next start"), "SQLite nodes see it at their next start: \(message)")
        let listed = try await SigningKeyAdministration.list(target, now: start.addingTimeInterval(120), logger: logger)
        let lines = listed.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasSuffix("verifying") && lines[1].contains("2027-01-15T08:01:00Z") && lines[1].contains("2027-01-15T08:11:00Z"), "\(listed)")
        #expect(lines[2].hasPrefix(rotated.kid) && lines[2].hasSuffix("signing"))
        #expect(!listed.contains("PRIVATE"))

        let later = try await SigningKeyAdministration.list(target, now: start.addingTimeInterval(60 + 600), logger: logger)
        #expect(later.split(separator: "\n")[1].hasSuffix("dropped"))
    }
}
