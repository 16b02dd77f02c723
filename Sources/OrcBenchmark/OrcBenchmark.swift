import Foundation
import Orc
import Synchronization

/// The engine's benchmarks (`wse orc bench`): the conformance corpus in virtual time, and two
/// micro-workloads each timed against a hand-written Swift equivalent in the same process.
public enum OrcBenchmark {
    /// Wall-clock and process CPU seconds of one piece of work (CPU time is the steadier figure
    /// on a shared machine).
    public struct Timing: Sendable {
        public var wall: Double
        public var cpu: Double
    }

    /// One timed workload and, when there is one, its hand-written Swift baseline.
    public struct Measurement: Sendable {
        public var name: String
        public var timing: Timing
        public var baseline: Timing?
        public var detail: String

        /// How many times slower than the Swift baseline, in CPU time.
        public var cpuRatio: Double? { baseline.map { timing.cpu / max($0.cpu, 1e-9) } }
    }

    /// Runs every program of the corpus manifest, one after the other, in virtual-time mode.
    public static func corpus(at root: URL) async throws -> Measurement {
        let manifest = try String(contentsOf: root.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        let paths = manifest.split(separator: "\n").dropFirst().compactMap { $0.split(separator: "\t").first.map(String.init) }
        let includes = [root.appendingPathComponent("resource-includes").path]
        var completed = 0
        let timing = try await timed {
            for path in paths {
                let program = try OrcProgram(contentsOfFile: root.appendingPathComponent(path).path, includePaths: includes)
                let transcript = await program.runTranscript(virtualTime: true, timeout: 60)
                if transcript.outcome == .halted { completed += 1 }
            }
        }
        return Measurement(name: "corpus (virtual time)", timing: timing, baseline: nil,
                           detail: "\(paths.count) programs, \(completed) halted on their own")
    }

    /// `upto(n)`: n parallel branches, each publishing once; baseline: a task group of n child tasks.
    public static func fanOut(_ count: Int) async throws -> Measurement {
        let program = try OrcProgram(source: "upto(\(count))", file: "<fan-out>")
        let (timing, published) = try await timedPublications(of: program)
        let baseline = try await timed {
            let total = await withTaskGroup(of: Int.self) { group in
                for index in 0..<count { group.addTask { index } }
                var received = 0
                for await _ in group { received += 1 }
                return received
            }
            precondition(total == count)
        }
        return Measurement(name: "fan-out \(count)", timing: timing, baseline: baseline,
                           detail: "\(published) publications; Swift: withTaskGroup, \(count) child tasks")
    }

    /// A chain of n sequential steps (`Let(n) >> chain(n - 1)`); baseline: n awaited async calls.
    public static func chain(_ depth: Int) async throws -> Measurement {
        let source = "def chain(0) = 0  def chain(n) = Let(n) >> chain(n - 1)  chain(\(depth))"
        let program = try OrcProgram(source: source, file: "<chain>")
        let (timing, published) = try await timedPublications(of: program)
        let baseline = try await timed {
            var value = depth
            while value > 0 { value = await step(value) }
            precondition(value == 0)
        }
        return Measurement(name: "sequential chain \(depth)", timing: timing, baseline: baseline,
                           detail: "\(published) publication; Swift: \(depth) awaited async calls")
    }

    @inline(never)
    private static func step(_ value: Int) async -> Int { value - 1 }

    private static func timedPublications(of program: OrcProgram) async throws -> (Timing, Int) {
        let counter = Mutex(0)
        let timing = try await timed {
            let run = OrcRun(program: program, virtualTime: true, events: OrcRunEvents(publish: { _ in counter.withLock { $0 += 1 } }))
            _ = await run.outcome()
        }
        return (timing, counter.withLock { $0 })
    }

    private static func processCPUSeconds() -> Double {
        var usage = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &usage)
        return Double(usage.tv_sec) + Double(usage.tv_nsec) / 1e9
    }

    private static func timed(_ work: () async throws -> Void) async throws -> Timing {
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = processCPUSeconds()
        try await work()
        let elapsed = clock.now - start
        return Timing(wall: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                      cpu: processCPUSeconds() - cpuStart)
    }
}
