import NIOCore
import WSECore

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
