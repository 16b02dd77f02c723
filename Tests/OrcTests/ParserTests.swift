import Testing
@testable import Orc

@Suite struct ParserTests {
    @Test func reportsLineColumnAndExpectation() {
        #expect(throws: OrcParseError.self) { try OrcProgram(source: "1 +\n  )", file: "bad.orc") }
        do {
            _ = try OrcProgram(source: "1 +\n  )", file: "bad.orc")
        } catch {
            #expect(error.location.line == 2)
            #expect(error.location.column == 3)
            #expect(!error.expected.isEmpty)
            #expect(error.description.hasPrefix("bad.orc:2:3:"))
        }
    }
}
