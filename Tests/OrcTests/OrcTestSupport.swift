import Orc

/// Runs Orc source to its end (virtual time unless told otherwise) and returns the transcript.
func runOrc(_ source: String, virtualTime: Bool = true, host: sending [String: OrcValue] = [:], hostNames: [String] = [],
            limits: OrcRunLimits = OrcRunLimits()) async throws -> OrcTranscript {
    let program = try OrcProgram(source: source, file: "test.orc", hostNames: hostNames)
    return await program.runTranscript(virtualTime: virtualTime, timeout: 120, host: host, limits: limits)
}

/// The transcript's lines, sorted (for programs whose publications race).
func sortedLines(_ transcript: OrcTranscript) -> [String] {
    transcript.text.split(separator: "\n").map(String.init).sorted()
}
