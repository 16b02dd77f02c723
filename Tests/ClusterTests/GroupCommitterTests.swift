import Synchronization
import Testing

@testable import Cluster

/// The batched writer alone: concurrent callers share batches, and `committed()` returns only once its items are written.
@Suite struct GroupCommitterTests {
    /// Records batches; the first write waits for the test to open the gate, so that the others pile up meanwhile.
    actor Disk {
        var batches: [[Int]] = []
        private var gate: CheckedContinuation<Void, Never>?
        private var open = false
        var written: Set<Int> { Set(batches.joined()) }

        func write(_ batch: [Int]) async {
            if batches.isEmpty, !open { await withCheckedContinuation { gate = $0 } }
            batches.append(batch)
        }

        var firstWriteWaiting: Bool { gate != nil }

        func openGate() {
            open = true
            gate?.resume()
            gate = nil
        }
    }

    @Test func manyConcurrentItemsAreWrittenInFewBatchesAndEachCallerWaitsForItsOwn() async throws {
        let disk = Disk()
        let committer = GroupCommitter<Int>(write: { await disk.write($0) }, failed: { _, _ in })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await committer.run() }
            committer.enqueue(0)
            group.addTask {
                await committer.committed()
                #expect(await disk.written.contains(0))
            }
            while await !disk.firstWriteWaiting { await Task.yield() }
            for item in 1..<200 { committer.enqueue(item) }
            await withTaskGroup(of: Void.self) { callers in
                for item in 1..<200 {
                    callers.addTask {
                        await committer.committed()
                        #expect(await disk.written.contains(item), "item \(item) is written when committed() returns")
                    }
                }
                await disk.openGate()
            }
            #expect(await disk.batches.count == 2, "one batch for the first item, one for the 199 that came while it was written")
            #expect(await disk.written == Set(0..<200))
            committer.halt()
            try await group.waitForAll()
        }
    }

    @Test func aHaltedCommitterReleasesItsWaitersAndRefusesNewItems() async {
        let disk = Disk()
        let committer = GroupCommitter<Int>(write: { await disk.write($0) }, failed: { _, _ in })
        committer.enqueue(1)
        committer.halt()
        #expect(await committer.committed() == false, "returns at once: nothing will be written")
        committer.enqueue(2)
        await committer.run()
        #expect(await disk.batches.isEmpty)
    }

    @Test func aFailedBatchIsReportedAndItsWaitersReleased() async {
        struct DiskFull: Error {}
        let failures = FailureLog()
        let committer = GroupCommitter<Int>(write: { _ in throw DiskFull() }, failed: { _, count in failures.add(count) })
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await committer.run() }
            committer.enqueue(1)
            committer.enqueue(2)
            #expect(await committer.committed() == false, "its callers learn that their items are not written")
            committer.halt()
        }
        #expect(failures.counts == [2])
    }

    /// A caller cannot tell which of the items before its mark are its own: while the batch that ended at or after
    /// what was done when it called failed, it is told "not written" (never "written" for a lost item).
    @Test func onceTheStoreIsBackACallerIsToldItsItemsAreWritten() async {
        struct Unreachable: Error {}
        let down = Mutex(true)
        let committer = GroupCommitter<Int>(
            write: { _ in if down.withLock({ $0 }) { throw Unreachable() } }, failed: { _, _ in })
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await committer.run() }
            committer.enqueue(1)
            #expect(await committer.committed() == false)
            #expect(await committer.committed() == false, "nothing written since: still not durable")
            down.withLock { $0 = false }
            committer.enqueue(2)
            #expect(await committer.committed() == false, "item 1, in the failed batch, may have been this caller's")
            committer.enqueue(3)
            #expect(await committer.committed() == true)
            #expect(await committer.committed() == true, "nothing new: the last batch was written")
            committer.halt()
        }
    }
}

/// Failures reported by a committer.
final class FailureLog: Sendable {
    private let log = Mutex<[Int]>([])
    func add(_ count: Int) { log.withLock { $0.append(count) } }
    var counts: [Int] { log.withLock { $0 } }
}
