import NIOCore

/// A message on its way to one connection, in the form the resume buffer keeps it and the socket gets it.
///
/// An event is kept as its seq and the encoding it shares with every other session it went to (see
/// ``EncodedEvent``): the JSON is built once per push, not once per session.
enum OutboundMessage: Sendable, Equatable {
    /// A JSON text sent as it is: `welcome`, `response`, `end`, `error`.
    case text(String)
    /// An event, numbered for this session.
    case event(seq: UInt64, EncodedEvent)
    /// An event as the shared session store kept it, for a session taken over from another node.
    case storedEvent(seq: UInt64, text: String)

    /// The length of the frame's payload.
    var byteCount: Int {
        switch self {
        case .text(let text), .storedEvent(_, let text): text.utf8.count
        case .event(let seq, let encoded): EncodedEvent.head.count + seq.decimalDigitCount + encoded.tail.readableBytes
        }
    }

    /// The JSON text of the message (for the shared session store; the socket gets ``write(to:)``).
    var text: String {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(byteCount)
        write(to: &buffer)
        return String(buffer: buffer)
    }

    /// Appends the JSON text of the message.
    func write(to buffer: inout ByteBuffer) {
        switch self {
        case .text(let text), .storedEvent(_, let text):
            buffer.writeString(text)
        case .event(let seq, let encoded):
            buffer.writeBytes(EncodedEvent.head)
            buffer.writeDecimal(seq)
            buffer.writeImmutableBuffer(encoded.tail)
        }
    }
}
