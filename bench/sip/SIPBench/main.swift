// SIP benchmarks; see docs/SIP.md §Benchmarks for the commands and the figures.
//   SIPBench parse [messages]                                parser throughput on one core
//   SIPBench notify [contacts] [changes] [sip-port]          PUBLISH -> NOTIFY -> connector IN latency
//   SIPBench notify-in [contacts] [changes]                  NOTIFY -> connector IN latency (the benchmark notifies)
//   SIPBench register [users] [rounds] [conc] [sip-port]     REGISTER/s through the connector
// Without sip-port, the embedded presence server; with it, the SIP server on 127.0.0.1:sip-port
// (bench/sip/kamailio-bench.sh runs these against a throwaway Kamailio).
import Foundation
import SIP

let arguments = Array(CommandLine.arguments.dropFirst())
func argument(_ index: Int, _ fallback: Int) -> Int { index < arguments.count ? Int(arguments[index]) ?? fallback : fallback }
func server(_ index: Int) throws -> SIPEndpoint? { try loopbackServer(index < arguments.count ? Int(arguments[index]) : nil) }

do {
    switch arguments.first {
    case "parse":
        try ParseBenchmark.run(count: argument(1, 1_000_000))
    case "notify":
        try await NotifyLatencyBenchmark.run(contacts: argument(1, 1000), changes: argument(2, 2000), server: server(3))
    case "notify-in":
        try await NotifyInBenchmark.run(contacts: argument(1, 1000), changes: argument(2, 2000))
    case "register":
        try await RegisterRateBenchmark.run(users: argument(1, 200), rounds: argument(2, 10), concurrency: argument(3, 50),
                                            server: server(4))
    default:
        print("usage: SIPBench parse [messages] | notify [contacts] [changes] [sip-port] | notify-in [contacts] [changes]"
              + " | register [users] [rounds] [concurrency] [sip-port]")
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("SIPBench \(arguments.first ?? ""): failed: \(error)\n".utf8))
    exit(1)
}
