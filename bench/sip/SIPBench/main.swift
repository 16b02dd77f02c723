// SIP benchmarks; see docs/SIP.md §Benchmarks for the commands and the figures.
//   SIPBench parse [messages]                  parser throughput on one core
//   SIPBench notify [contacts] [changes]       presence change -> connector IN latency (embedded server)
//   SIPBench register [users] [rounds] [conc]  REGISTER/s through the connector against Kamailio
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
func argument(_ index: Int, _ fallback: Int) -> Int { index < arguments.count ? Int(arguments[index]) ?? fallback : fallback }

switch arguments.first {
case "parse":
    try ParseBenchmark.run(count: argument(1, 1_000_000))
case "notify":
    try await NotifyLatencyBenchmark.run(contacts: argument(1, 1000), changes: argument(2, 2000))
case "register":
    try await RegisterRateBenchmark.run(users: argument(1, 200), rounds: argument(2, 10), concurrency: argument(3, 50))
default:
    print("usage: SIPBench parse [messages] | notify [contacts] [changes] | register [users] [rounds] [concurrency]")
    exit(2)
}
