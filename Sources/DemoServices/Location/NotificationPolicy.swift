/// When the location service gives up on a subscription's notifyURL.
public struct NotificationPolicy: Sendable {
    /// Consecutive 404 or 410 answers after which the subscription is removed: the client is gone.
    public var goneLimit: Int
    /// Consecutive failures of any other kind (refused, timeout, 5xx) after which it is removed.
    public var failureLimit: Int
    /// How long one notification POST may take.
    public var timeout: Duration

    public init(goneLimit: Int = 3, failureLimit: Int = 10, timeout: Duration = .seconds(5)) {
        self.goneLimit = goneLimit
        self.failureLimit = failureLimit
        self.timeout = timeout
    }
}
