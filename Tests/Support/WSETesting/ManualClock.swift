import Foundation
import Synchronization

/// A clock the test moves by hand, readable both as a monotonic instant (deadlines, cool-downs)
/// and as a wall-clock date (token issue and expiry): the two move together.
///
/// Hand ``instant`` or ``date`` to the code under test as its `now` function, then ``advance(by:)``.
public final class ManualClock: Sendable {
    private let elapsed = Mutex(Duration.zero)
    private let startInstant = ContinuousClock.now
    private let startDate: Date

    /// - Parameter start: the wall-clock time at the start; a fixed date keeps tests repeatable.
    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { startDate = start }

    /// The current monotonic time.
    public var now: ContinuousClock.Instant { startInstant + elapsed.withLock { $0 } }
    /// The current wall-clock time.
    public var nowDate: Date { startDate.addingTimeInterval(Self.seconds(elapsed.withLock { $0 })) }

    /// `now` as a function, for a configuration's clock.
    public var instant: @Sendable () -> ContinuousClock.Instant { { self.now } }
    /// `nowDate` as a function, for a configuration's wall clock.
    public var date: @Sendable () -> Date { { self.nowDate } }

    public func advance(by duration: Duration) { elapsed.withLock { $0 += duration } }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
