import NIOCore

/// The limits and timers of the session protocol, converted once from `ConnectionManagerConfiguration`
/// to event-loop units and shared by every connection (each state machine holds one reference, not a copy,
/// which keeps an idle session small).
final class SessionLimits: Sendable {
    let helloTimeout: TimeAmount
    let heartbeatInterval: TimeAmount
    let idleTimeout: TimeAmount?
    let closeTimeout: TimeAmount
    let slowConsumerGrace: TimeAmount
    let sendQueueHardLimit: Int
    let rate: InboundRateLimiter.Rate
    let rateLimitStrikes: Int
    let messagesPerSecond: Double
    let maxFrameSize: Int
    let maxMessageSize: Int
    let maxFragmentsPerMessage: Int
    /// Messages kept while the `hello`'s token is being verified; one more closes with 4400.
    let maxEarlyMessages = 16

    init(_ configuration: ConnectionManagerConfiguration) {
        helloTimeout = TimeAmount(configuration.helloTimeout)
        heartbeatInterval = TimeAmount(configuration.heartbeatInterval)
        idleTimeout = configuration.idleTimeout.map(TimeAmount.init)
        closeTimeout = TimeAmount(configuration.closeTimeout)
        slowConsumerGrace = TimeAmount(configuration.slowConsumerGrace)
        sendQueueHardLimit = configuration.sendQueueHardLimit
        rate = InboundRateLimiter.Rate(messagesPerSecond: configuration.messagesPerSecond, burst: configuration.messageBurst)
        rateLimitStrikes = configuration.rateLimitStrikes
        messagesPerSecond = configuration.messagesPerSecond
        maxFrameSize = configuration.maxFrameSize
        maxMessageSize = configuration.maxMessageSize
        maxFragmentsPerMessage = configuration.maxFragmentsPerMessage
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
