import WSECore

/// The sink the mediator hands the orchestrator for a composed process: output goes back through the
/// process table, so it reaches the owner in order and stops once the process is cancelled.
struct CompositionRelay: ProcessSink {
    let pid: ProcessID
    let mediator: Mediator

    func respond(_ data: JSONValue) async { await mediator.compositionOutput(pid: pid, .respond(data)) }
    func emit(_ data: JSONValue) async { await mediator.compositionOutput(pid: pid, .emit(data)) }
    func fail(_ error: ServiceError) async { await mediator.compositionOutput(pid: pid, .fail(error)) }
    func finish(_ reason: EndReason) async { await mediator.compositionOutput(pid: pid, .finish(reason)) }
}
