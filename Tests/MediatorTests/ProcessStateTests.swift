import Testing

@testable import Mediator

@Suite("Process states and their transitions")
struct ProcessStateTests {
    /// A transition applied to `state`: whether it applied, and the state it left.
    private func apply(_ state: ProcessState, _ transition: (inout ProcessState) -> Bool) -> (applied: Bool, state: ProcessState) {
        var state = state
        let applied = transition(&state)
        return (applied, state)
    }

    @Test("a 202 opens the process; its own end is told with an end message, once")
    func acceptedThenEnded() {
        #expect(!ProcessState.awaitingAnswer.isAnswered && !ProcessState.awaitingAnswer.isEnded)
        #expect(apply(.awaitingAnswer) { $0.answer(keepsRunning: true) } == (true, .running))
        #expect(ProcessState.running.isAnswered && !ProcessState.running.isEnded)
        #expect(apply(.running) { $0.end() } == (true, .ended(.endMessage)))
        #expect(apply(.ended(.endMessage)) { $0.end() } == (false, .ended(.endMessage)))
    }

    @Test("a synchronous answer or an error closes the call: no end message")
    func answerClosesTheCall() {
        #expect(apply(.awaitingAnswer) { $0.answer(keepsRunning: false) } == (true, .ended(.closedByAnswer)))
        #expect(ProcessState.ended(.closedByAnswer).isAnswered && ProcessState.ended(.closedByAnswer).isEnded)
    }

    @Test("a late answer is refused and changes nothing", arguments: [
        ProcessState.running, .ended(.endMessage), .ended(.closedByAnswer), .ended(.ownerGone),
    ])
    func lateAnswer(from start: ProcessState) {
        #expect(apply(start) { $0.answer(keepsRunning: true) } == (false, start))
        #expect(apply(start) { $0.answer(keepsRunning: false) } == (false, start))
    }

    @Test("ended before its answer: output stays held until the answer, which decides how the end is told")
    func endedBeforeAnswer() {
        #expect(apply(.awaitingAnswer) { $0.end() } == (true, .endedBeforeAnswer))
        #expect(ProcessState.endedBeforeAnswer.isEnded && !ProcessState.endedBeforeAnswer.isAnswered)
        #expect(apply(.endedBeforeAnswer) { $0.end() } == (false, .endedBeforeAnswer))
        #expect(apply(.endedBeforeAnswer) { $0.cancel(ownerGone: false) } == (false, .endedBeforeAnswer))
        #expect(apply(.endedBeforeAnswer) { $0.answer(keepsRunning: true) } == (true, .ended(.endMessage)))
        #expect(apply(.endedBeforeAnswer) { $0.answer(keepsRunning: false) } == (true, .ended(.closedByAnswer)))
    }

    @Test("cancel ends a process answered or not; the owner is told unless gone", arguments: [ProcessState.awaitingAnswer, .running])
    func cancel(from start: ProcessState) {
        #expect(apply(start) { $0.cancel(ownerGone: false) } == (true, .ended(.endMessage)))
        #expect(apply(start) { $0.cancel(ownerGone: true) } == (true, .ended(.ownerGone)))
        #expect(apply(.ended(.endMessage)) { $0.cancel(ownerGone: false) } == (false, .ended(.endMessage)))
    }

    @Test("an owner that leaves after the end drops what is queued; before the end it changes nothing")
    func ownerLeft() {
        #expect(apply(.ended(.closedByAnswer)) { $0.ownerLeft(); return true }.state == .ended(.ownerGone))
        #expect(apply(.running) { $0.ownerLeft(); return true }.state == .running)
    }
}
