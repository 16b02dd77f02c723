import Foundation
import Synchronization
import Testing

/// A clock the test moves by hand, readable both as a monotonic instant (deadlines, cool-downs)
/// and as a wall-clock date (token issue and expiry): the two move together.
///
/// Hand ``instant`` or ``date`` to the code under test as its `now` function, or the clock itself
/// where the code takes a `Clock`: its `sleep` returns only once ``advance(by:)`` has moved the
/// time past the sleeper's deadline. ``sleepers(reach:)`` waits until the code under test sleeps,
/// so that a test advances time only when a timer is armed.
public final class ManualClock: Clock, Sendable {
    public typealias Instant = ContinuousClock.Instant

    private struct Sleeper {
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var elapsed = Duration.zero
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
    }

    private let state = Mutex(State())
    private let startInstant = ContinuousClock.now
    private let startDate: Date

    /// - Parameter start: the wall-clock time at the start; a fixed date keeps tests repeatable.
    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { startDate = start }

    /// The current monotonic time.
    public var now: Instant { startInstant + state.withLock { $0.elapsed } }
    /// The current wall-clock time.
    public var nowDate: Date { startDate.addingTimeInterval(Self.seconds(state.withLock { $0.elapsed })) }
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// `now` as a function, for a configuration's clock.
    public var instant: @Sendable () -> Instant { { self.now } }
    /// `nowDate` as a function, for a configuration's wall clock.
    public var date: @Sendable () -> Date { { self.nowDate } }

    /// Moves the time on and wakes every sleeper whose deadline has come.
    public func advance(by duration: Duration) {
        let due = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.elapsed += duration
            let now = startInstant + state.elapsed
            let ids = state.sleepers.filter { $0.value.deadline <= now }.keys
            return ids.compactMap { state.sleepers.removeValue(forKey: $0)?.continuation }
        }
        for sleeper in due { sleeper.resume() }
    }

    /// How many tasks sleep on this clock now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Returns once at least `count` tasks sleep on this clock; records a failure if that does not
    /// happen within a few seconds (the code under test never armed its timer).
    public func sleepers(reach count: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await eventually("\(count) task(s) sleeping on the clock", sourceLocation: sourceLocation) { sleeperCount >= count }
    }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let asleep = state.withLock { state -> Bool in
                    guard !Task.isCancelled, deadline > startInstant + state.elapsed else { return false }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return true
                }
                if !asleep {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            state.withLock { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
