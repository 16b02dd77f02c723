import Foundation
import SIP

/// Parser throughput: typical presence traffic (REGISTER with credentials, SUBSCRIBE, NOTIFY
/// with PIDF, MESSAGE, 200 OK), parsed and fully validated, on one thread.
enum ParseBenchmark {
    static func run(count: Int) throws {
        let messages = [register, subscribe, notify, message, ok].map(wire)
        let parser = SIPMessageParser()
        for message in messages { _ = try parser.parse(message) }
        var bytes = 0
        let cpuStart = threadCPUSeconds()
        let elapsed = try ContinuousClock().measure {
            for index in 0..<count {
                let message = messages[index % messages.count]
                bytes += message.count
                _ = try parser.parse(message)
            }
        }
        let cpu = threadCPUSeconds() - cpuStart
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("parse: \(count) messages (\(messages.count) kinds, \(bytes / count) bytes on average) in "
              + "\(String(format: "%.3f", seconds)) s = \(Int(Double(count) / seconds)) messages/s on one core; "
              + "thread CPU \(String(format: "%.3f", cpu)) s = \(Int(Double(count) / cpu)) messages/s per CPU second")
    }

    /// This thread's CPU time: on a shared machine, the rate per CPU second is steadier than the wall-clock rate.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Headers (LF ends) and a body: CRLF line ends and the right Content-Length.
    static func wire(_ message: (headers: String, body: String)) -> [UInt8] {
        let body = message.body.replacingOccurrences(of: "\n", with: "\r\n")
        let head = message.headers.replacingOccurrences(of: "\n", with: "\r\n")
        return Array((head + "Content-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
    }

    static let register = ("""
        REGISTER sip:127.0.0.1 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:40123;branch=z9hG4bK8d2c1f0a9e7b6c5d;rport
        Max-Forwards: 70
        From: <sip:alice@127.0.0.1>;tag=7c2f1a9b3e
        To: <sip:alice@127.0.0.1>
        Call-ID: 4f9a2b7c1d3e5f60718293a4b5c6d7e8
        CSeq: 2 REGISTER
        Contact: <sip:alice@127.0.0.1:40123>
        Authorization: Digest username="alice", realm="127.0.0.1", nonce="6561a2b3c4d5e6f7", uri="sip:127.0.0.1", response="0a1b2c3d4e5f60718293a4b5c6d7e8f9", algorithm=MD5, qop=auth, cnonce="1f2e3d4c", nc=00000002
        Expires: 3600

        """, "")
    static let subscribe = ("""
        SUBSCRIBE sip:bob@127.0.0.1 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:40125;branch=z9hG4bK2b3c4d5e6f7a8b9c;rport
        Max-Forwards: 70
        From: "Bob" <sip:bob@127.0.0.1>;tag=5d4c3b2a19
        To: <sip:alice@127.0.0.1>
        Call-ID: 0f1e2d3c4b5a69788796a5b4c3d2e1f0
        CSeq: 1 SUBSCRIBE
        Contact: <sip:bob@127.0.0.1:40125;transport=udp>
        Event: presence
        Accept: application/pidf+xml
        Expires: 600

        """, "")
    static let notify = ("""
        NOTIFY sip:bob@127.0.0.1:40125 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1a2b3c4d5e6f7a8b
        Max-Forwards: 70
        From: <sip:alice@127.0.0.1>;tag=9f8e7d6c5b
        To: <sip:bob@127.0.0.1>;tag=1a2b3c4d5e
        Call-ID: 0f1e2d3c4b5a69788796a5b4c3d2e1f0
        CSeq: 3 NOTIFY
        Contact: <sip:127.0.0.1:5060>
        Event: presence
        Subscription-State: active;expires=589
        Content-Type: application/pidf+xml

        """, """
        <?xml version="1.0" encoding="UTF-8"?>
        <presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@127.0.0.1"><tuple id="t1"><status><basic>open</basic></status></tuple></presence>

        """)
    static let message = ("""
        MESSAGE sip:bob@127.0.0.1 SIP/2.0
        Via: SIP/2.0/TCP 127.0.0.1:40124;branch=z9hG4bK5e6f7a8b9c0d1e2f;rport
        Max-Forwards: 70
        From: "Alice" <sip:alice@127.0.0.1>;tag=3e4f5a6b7c
        To: <sip:bob@127.0.0.1>
        Call-ID: 8e7d6c5b4a39281706f5e4d3c2b1a090
        CSeq: 1 MESSAGE
        Content-Type: text/plain;charset=UTF-8

        """, "hello bob!")
    static let ok = ("""
        SIP/2.0 200 OK
        Via: SIP/2.0/UDP 127.0.0.1:40123;branch=z9hG4bK8d2c1f0a9e7b6c5d;rport=40123;received=127.0.0.1
        From: <sip:alice@127.0.0.1>;tag=7c2f1a9b3e
        To: <sip:alice@127.0.0.1>;tag=a1b2c3d4e5
        Call-ID: 4f9a2b7c1d3e5f60718293a4b5c6d7e8
        CSeq: 2 REGISTER
        Contact: <sip:alice@127.0.0.1:40123>;expires=3600

        """, "")
}
