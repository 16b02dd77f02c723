import NIOCore
import NIOWebSocket
import WSECore

extension SessionStateMachine {
    /// Closing the connection: the close frame to send, and what becomes of the session.
    struct Close: Equatable {
        var code: WebSocketErrorCode
        var reason: String
        /// The session ends now instead of waiting for a resume.
        var endingSession: Bool
        /// The connection is dropped at this time at the latest (arm the timer).
        var dropAt: NIODeadline
        /// The frame answers the peer's close: drop the connection as soon as it is written.
        var dropOnceWritten = false
    }

    enum StartAction: Equatable {
        case armTimer(at: NIODeadline)
        case close(Close)
        case none
    }

    enum MessageAction: Equatable {
        case none
        /// A `hello`: verify its token (it may do I/O), then call ``tokenVerified(_:wallClock:now:)``. Meanwhile
        /// the timer is armed only for a slow consumer (`armTimerAt`; nil: no timer).
        case verifyToken(String, armTimerAt: NIODeadline?)
        /// A request, a cancel or an ack of the session (counted as a message in).
        case deliver(ClientMessage)
        /// An error answering a message that passed the rate limit (counted as a message in).
        case answer(ServerMessage)
        /// An error for a message that was not taken (rate limited, binary).
        case refuse(ServerMessage)
        case close(Close)
    }

    enum AuthenticatedAction: Equatable {
        case none
        /// Open (or resume) the session and send `welcome`, arm the timer, then handle the `early` messages in order.
        case open(Principal, resume: ClientMessage.ResumePoint?, early: [ByteBuffer], armTimerAt: NIODeadline)
        case close(Close)
    }

    enum TimerAction: Equatable {
        case none
        case armTimer(at: NIODeadline)
        /// Send a WebSocket ping, then arm the timer.
        case ping(armTimerAt: NIODeadline)
        case close(Close)
        /// The peer did not answer our close frame in time: drop the TCP connection.
        case drop
    }

    enum PeerCloseAction: Equatable {
        /// Send this close frame back.
        case answer(Close)
        /// The peer answers our close frame: drop the connection.
        case drop
    }

    /// Why the WebSocket layer refused a frame.
    enum FrameError {
        case frameTooLarge, messageTooLarge, tooManyFragments, reservedBits, unexpectedFrame, malformed
    }
}
