import Testing
import OrcBenchmark

/// The benchmark measures what it says: the right number of publications, and a Swift baseline beside it.
@Suite struct OrcBenchmarkTests {
    @Test func fanOutPublishesOncePerBranch() async throws {
        let measurement = try await OrcBenchmark.fanOut(50)
        #expect(measurement.detail.hasPrefix("50 publications"))
        #expect(measurement.baseline != nil && measurement.cpuRatio != nil)
        #expect(measurement.timing.wall >= 0 && measurement.timing.cpu >= 0)
    }

    @Test func aChainPublishesOnce() async throws {
        let measurement = try await OrcBenchmark.chain(100)
        #expect(measurement.detail.hasPrefix("1 publication"))
        #expect(measurement.name == "sequential chain 100")
    }
}
