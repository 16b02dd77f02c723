import Foundation
import LocalServers
import Testing

@Suite struct ChildProcessTests {
    static func outputPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("wse-child-\(UUID().uuidString).out").path
    }

    @Test func runReturnsWhenTheProgramSucceeds() async throws {
        let path = Self.outputPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await ChildProcess.run(["/bin/sh", "-c", "echo hello"], outputPath: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "hello\n")
    }

    @Test func theChildInheritsNoDescriptorButItsStandardOnes() async throws {
        let path = Self.outputPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let inheritable = open("/dev/null", O_RDONLY)  // no O_CLOEXEC: as a socket of a library that does not set it
        try #require(inheritable > 2)
        defer { close(inheritable) }
        try await ChildProcess.run(["/bin/sh", "-c", "ls /proc/self/fd"], outputPath: path)
        let listed = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
        #expect(!listed.contains(inheritable), "descriptors in the child: \(listed)")
    }

    @Test func aFailureNamesTheProgramAndShowsItsOutput() async throws {
        let path = Self.outputPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = await #expect(throws: LocalServerError.self) {
            try await ChildProcess.run(["/bin/sh", "-c", "echo broken >&2; exit 3"], outputPath: path)
        }
        #expect(error?.description == "sh failed (exit status 3): broken")
    }

    @Test func aMissingProgramIsAClearError() async throws {
        let path = Self.outputPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: LocalServerError.self) {
            _ = try ChildProcess(["/nonexistent/program"], outputPath: path)
        }
        #expect(error?.description.hasPrefix("cannot run /nonexistent/program") == true)
    }

    @Test func stopEndsAServerWithSIGTERM() async throws {
        let path = Self.outputPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let child = try ChildProcess(["/bin/sleep", "60"], outputPath: path)
        let status = await child.stop(grace: .seconds(30))
        #expect(status == SIGTERM, "killed by the signal, not by the SIGKILL fallback")
    }

    @Test func stopKillsAProgramThatIgnoresSIGTERMAfterTheGrace() async throws {
        let path = Self.outputPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // The shell says when its trap is installed, so SIGTERM cannot arrive before it.
        let child = try ChildProcess(["/bin/sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done"], outputPath: path)
        while (try? String(contentsOfFile: path, encoding: .utf8))?.contains("ready") != true {
            try await Task.sleep(for: .milliseconds(5))
        }
        let status = await child.stop(grace: .milliseconds(100))
        #expect(status == SIGKILL)
    }
}
