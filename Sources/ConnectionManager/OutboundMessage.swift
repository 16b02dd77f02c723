import NIOCore
import WSECore

/// A message on its way to one connection, in the form the resume buffer keeps it and the socket gets it.
///
/// An event is kept as its seq and the encoding it shares with every other session it went to (see
/// ``EncodedEvent``): the JSON is built once per push, not once per session.
enum OutboundMessage: Sendable, Equatable {
    /// A JSON text sent as it is: `welcome`, `response`, `end`, `error`.
    case text(String)
    /// An event, numbered for this session.
    case event(seq: UInt64, EncodedEvent)

    /// The length of the frame's payload.
    var byteCount: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .event(let seq, let encoded): EncodedEvent.head.count + seq.decimalDigitCount + encoded.tail.readableBytes
        }
    }

    /// Appends the JSON text of the message.
    func write(to buffer: inout ByteBuffer) {
        switch self {
        case .text(let text):
            buffer.writeString(text)
        case .event(let seq, let encoded):
            buffer.writeBytes(EncodedEvent.head)
            buffer.writeDecimal(seq)
            buffer.writeImmutableBuffer(encoded.tail)
        }
    }
}

/// An event's JSON without its seq, made once per push and shared by every session it goes to:
/// `{"type":"event","seq":` (``head``), then the session's seq, then ``tail`` (`,"service":…,"data":…}`).
struct EncodedEvent: Sendable, Equatable {
    static let head: [UInt8] = Array(#"{"type":"event","seq":"#.utf8)
    let tail: ByteBuffer

    init(_ event: OutboundEvent) {
        var text = ""
        event.writeFieldsAfterSeq(to: &text)
        text += "}"
        tail = ByteBuffer(string: text)
    }
}

extension UInt64 {
    /// Digits of the number in base 10.
    var decimalDigitCount: Int {
        var count = 1
        var rest = self / 10
        while rest > 0 {
            count += 1
            rest /= 10
        }
        return count
    }
}

extension ByteBuffer {
    /// Writes `value` in base 10 without building a string.
    mutating func writeDecimal(_ value: UInt64) {
        var index = writerIndex + value.decimalDigitCount
        writeRepeatingByte(UInt8(ascii: "0"), count: value.decimalDigitCount)
        var rest = value
        repeat {
            index -= 1
            setInteger(UInt8(ascii: "0") + UInt8(rest % 10), at: index)
            rest /= 10
        } while rest > 0
    }
}
