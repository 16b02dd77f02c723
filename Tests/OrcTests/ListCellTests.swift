import Foundation
import Testing
@testable import Orc

/// List cells: a run's cells are counted while they live, and a long list is freed cell by cell, not by a
/// recursion as deep as the list (which overflowed the stack of the thread that dropped it).
@Suite struct ListCellTests {
    @Test func aCountedCellAddsItsCostUntilItIsFreed() {
        let meter = ValueMeter()
        do {
            let list = OrcList.cons(.string("abcd"), .cons(.int(1), .empty, meter: meter), meter: meter)
            #expect(list.count == 2)
            #expect(meter.total == 2 * MemoryBudget.listCellCost + 4)
        }
        #expect(meter.total == 0)
    }

    /// Two million cells dropped on a thread with a 512 KiB stack: each cell's release would take a stack frame.
    @Test func aLongListIsFreedOnASmallStack() async {
        let meter = ValueMeter()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                var list = OrcList.empty
                for number in 0..<2_000_000 { list = .cons(.int(number), list, meter: meter) }
                list = .empty
                done.resume()
            }
            thread.stackSize = 512 << 10
            thread.start()
        }
        #expect(meter.total == 0)
    }

    /// A tail shared with another list is left to its other holder.
    @Test func aSharedTailOutlivesTheListThatDropsIt() {
        let meter = ValueMeter()
        let shared = OrcList.cons(.int(2), .cons(.int(3), .empty, meter: meter), meter: meter)
        do {
            let longer = OrcList.cons(.int(1), shared, meter: meter)
            #expect(Array(longer).count == 3)
        }
        #expect(Array(shared).count == 2)
        #expect(meter.total == 2 * MemoryBudget.listCellCost)
    }
}
