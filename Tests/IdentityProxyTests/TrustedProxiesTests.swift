import Foundation
import Testing
@testable import IdentityProxy

@Suite struct TrustedProxiesTests {
    static let balancers = try! TrustedProxies(["10.0.0.0/8", "192.0.2.10", "2001:db8:ffff::/48"])

    static func client(peer: String, _ forwardedFor: [String]) -> IPAddress? {
        balancers.clientAddress(peer: IPAddress(peer), forwardedFor: forwardedFor)
    }

    @Test func aPeerThatIsNotTrustedIsTheClientWhateverItForwards() {
        #expect(Self.client(peer: "203.0.113.9", ["198.51.100.1"]) == IPAddress("203.0.113.9"))
        #expect(TrustedProxies.none.clientAddress(peer: IPAddress("10.1.2.3"), forwardedFor: ["198.51.100.1"]) == IPAddress("10.1.2.3"))
    }

    @Test func theClientIsTheRightmostHopThatIsNotTrusted() {
        #expect(Self.client(peer: "10.1.2.3", ["198.51.100.66, 203.0.113.5, 10.9.9.9"]) == IPAddress("203.0.113.5"))
        #expect(Self.client(peer: "10.1.2.3", ["198.51.100.66", "203.0.113.5", "10.9.9.9"]) == IPAddress("203.0.113.5"), "one field per hop")
        #expect(Self.client(peer: "2001:db8:ffff::1", ["2001:db8:1::5"]) == IPAddress("2001:db8:1::5"))
    }

    @Test func withOnlyTrustedHopsTheLeftmostIsTheClient() {
        #expect(Self.client(peer: "10.1.2.3", ["10.0.0.5, 192.0.2.10"]) == IPAddress("10.0.0.5"))
        #expect(Self.client(peer: "10.1.2.3", []) == IPAddress("10.1.2.3"))
    }

    @Test func hopsMayCarryPorts() {
        #expect(Self.client(peer: "10.1.2.3", ["203.0.113.5:4711"]) == IPAddress("203.0.113.5"))
        #expect(Self.client(peer: "10.1.2.3", ["[2001:db8::5]:4711"]) == IPAddress("2001:db8::5"))
    }

    @Test func aHopThatIsNotAnAddressEndsTheWalkAtTheLastTrustedHop() {
        #expect(Self.client(peer: "10.1.2.3", ["unknown, 192.0.2.10"]) == IPAddress("192.0.2.10"))
        #expect(Self.client(peer: "10.1.2.3", ["198.51.100.1, forged"]) == IPAddress("10.1.2.3"))
    }

    @Test func anIPv4MappedPeerIsItsIPv4Address() {
        #expect(IPAddress("::ffff:10.1.2.3") == IPAddress("10.1.2.3"))
        #expect(Self.client(peer: "::ffff:10.1.2.3", ["203.0.113.5"]) == IPAddress("203.0.113.5"))
    }

    @Test(arguments: ["", "nonsense", "10.0.0.300", "10.0.0.0/33", "10.0.0.0/x", "10.0.0.0/8/8", "2001:db8::/129"])
    func anEntryThatIsNoAddressOrNetworkIsRefused(entry: String) {
        #expect(throws: TrustedProxies.InvalidEntry(entry: entry)) { try TrustedProxies([entry]) }
    }

    @Test func theConfigurationListDecodesAndABadEntryIsNamed() throws {
        let decoded = try JSONDecoder().decode(TrustedProxies.self, from: Data(#"["10.0.0.0/8", "2001:db8::7"]"#.utf8))
        #expect(decoded.contains(IPAddress("10.200.0.1")!) && decoded.contains(IPAddress("2001:db8::7")!))
        #expect(!decoded.contains(IPAddress("11.0.0.1")!) && !decoded.contains(IPAddress("2001:db8::8")!))
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TrustedProxies.self, from: Data(#"["10.0.0.0/8", "10.0.0.300"]"#.utf8))
        }
        #expect("\(String(describing: error))".contains("10.0.0.300"))
    }

    @Test func anIPv6ClientIsCountedByItsSlash64() {
        #expect(IPAddress("2001:db8:1:2:3:4:5:6")?.clientNetwork.description == "2001:db8:1:2:0:0:0:0")
        #expect(IPAddress("192.0.2.1")?.clientNetwork.description == "192.0.2.1")
    }
}
