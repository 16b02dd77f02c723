import Testing
@testable import SIP

/// Each UDP transport owns its port. With SO_REUSEADDR on its UDP socket, Linux's bind(0) could
/// hand out a port another socket already held; the two then shared the port and one lost the
/// other's datagrams (responses went to the wrong user agent, whose requests then timed out), which
/// made the NOTIFY benchmark fail once a few dozen user agents were running.
@Suite("UDP ports")
struct UDPPortTests {
    @Test func transportsBoundToPortZeroNeverShareAPort() async throws {
        // With shared ports, 1,000 binds over ~28k ephemeral ports collide ~15 times on average.
        var transports: [SIPTransport] = []
        for _ in 0..<1000 {
            transports.append(try await SIPTransport.start(.init(tcpPort: nil), onMessage: { _, _ in }))
        }
        let ports = transports.compactMap { $0.udpAddress?.port }
        #expect(ports.count == transports.count)
        let shared = Dictionary(grouping: ports, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(shared.isEmpty, "UDP ports given to more than one transport: \(shared)")
        for transport in transports { await transport.close() }
    }

    @Test func aFixedUDPPortThatIsInUseIsRefused() async throws {
        let first = try await SIPTransport.start(.init(tcpPort: nil), onMessage: { _, _ in })
        let port = try #require(first.udpAddress?.port)
        let second = try? await SIPTransport.start(.init(udpPort: port, tcpPort: nil), onMessage: { _, _ in })
        #expect(second == nil, "a second transport bound UDP port \(port), which the first one holds")
        await second?.close()
        await first.close()
    }
}
