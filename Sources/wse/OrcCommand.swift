import ArgumentParser
import Foundation
import Orc
import OrcBenchmark

/// `wse orc`: run, check and benchmark Orc programs with WSE's Orc engine.
struct OrcCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orc", abstract: "Run and check Orc programs (the orchestration language).",
        subcommands: [Run.self, Check.self, Bench.self])

    /// `wse orc run FILE`: prints publications, printed text and `Error:` lines as they happen.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run an Orc program; print its publications (one per line), Print/Println output and errors.",
            discussion: "Exit status: 0 halted, 1 does not parse, 2 blocked forever, 3 resource limit exceeded.")

        @Argument(help: "The .orc file.") var file: String
        @Flag(help: "Fast virtual time: Rwait jumps instead of sleeping when nothing else can run.") var virtualTime = false
        @Option(name: .customShort("I"), help: "An extra include directory (repeatable).") var includeDirectory: [String] = []
        @Option(help: "Kill the program when more tokens than this are alive at once.") var maxTokens: Int?
        @Option(help: "Kill the program when it holds more memory than this, approximately: tokens, frames, channel and array contents (512KiB, 64MiB, 1GiB; 0: no limit)")
        var maxMemory = ByteCount(OrcRunLimits.defaultMaxMemory)

        func run() async throws {
            let program = try loadProgram(file, includeDirectory)
            let output = FileHandle.standardOutput
            let events = OrcRunEvents(
                publish: { value in output.write(Data((value.formatted + "\n").utf8)) },
                print: { text in output.write(Data(text.utf8)) },
                error: { error in
                    output.write(Data((error.line + "\n").utf8))
                    if let location = error.location { FileHandle.standardError.write(Data("  at \(location)\n".utf8)) }
                })
            let run = OrcRun(program: program, virtualTime: virtualTime, limits: OrcRunLimits(maxTokens: maxTokens, maxMemory: maxMemory.bytes == 0 ? nil : maxMemory.bytes),
                             events: events)
            switch await run.outcome() {
            case .halted, .killed:
                return
            case .blockedForever:
                FileHandle.standardError.write(Data("orc: the program is blocked forever (no timer, call or stream can wake it); stopped\n".utf8))
                throw ExitCode(2)
            case .limitExceeded(let reason):
                FileHandle.standardError.write(Data("orc: killed: \(reason)\n".utf8))
                throw ExitCode(3)
            }
        }
    }

    /// `wse orc check FILE`: parses and resolves without running.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check that an Orc program parses and every name is bound.")

        @Argument(help: "The .orc file.") var file: String
        @Option(name: .customShort("I"), help: "An extra include directory (repeatable).") var includeDirectory: [String] = []

        func run() async throws {
            _ = try loadProgram(file, includeDirectory)
            print("\(file): OK")
        }
    }

    /// `wse orc bench`: the figures of docs/ORC.md, section Benchmarks.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time the conformance corpus (virtual time), a wide fan-out and a deep chain against Swift baselines.")

        @Option(help: "The conformance corpus folder.") var corpus = "../shared/orc-conformance"
        @Option(help: "Parallel branches of the fan-out workload.") var fanOut = 1_000_000
        @Option(help: "Steps of the sequential chain workload.") var depth = 1_000_000

        func run() async throws {
            var measurements: [OrcBenchmark.Measurement] = []
            let corpusURL = URL(fileURLWithPath: corpus)
            if FileManager.default.fileExists(atPath: corpusURL.appendingPathComponent("MANIFEST.tsv").path) {
                measurements.append(try await OrcBenchmark.corpus(at: corpusURL))
            } else {
                FileHandle.standardError.write(Data("orc bench: no corpus at \(corpus) (use --corpus); skipping it\n".utf8))
            }
            measurements.append(try await OrcBenchmark.fanOut(fanOut))
            measurements.append(try await OrcBenchmark.chain(depth))
            for measurement in measurements {
                var line = measurement.name.padding(toLength: 26, withPad: " ", startingAt: 0)
                line += String(format: " Orc %8.3f s wall %8.3f s CPU", measurement.timing.wall, measurement.timing.cpu)
                if let baseline = measurement.baseline, let ratio = measurement.cpuRatio {
                    line += String(format: " | Swift %7.3f s wall %7.3f s CPU | CPU ratio %.2fx", baseline.wall, baseline.cpu, ratio)
                }
                print(line + "  (\(measurement.detail))")
            }
        }
    }
}

/// Parses a program, turning a parse error into a `file:line:column: message` exit.
private func loadProgram(_ file: String, _ includes: [String]) throws -> OrcProgram {
    do {
        return try OrcProgram(contentsOfFile: file, includePaths: includes)
    } catch {
        FileHandle.standardError.write(Data("\(error.description)\n".utf8))
        throw ExitCode(1)
    }
}
