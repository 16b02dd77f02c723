/// Real time (`Rwait`, `Rtime`, `Rclock`) and virtual time (`Vclock`, `Vawait`, `Vtime`).
enum TimeSites {
    static func all() -> [String: OrcValue] {
        var sites: [String: OrcValue] = [:]
        let rwait = MethodSite(name: "Rwait") { arguments, call in wait(arguments, call) }
        sites["Rwait"] = .site(rwait)
        sites["Rtime"] = .site(MethodSite(name: "Rtime") { _, call in .publish(.int(call.interpreter.now)) })
        sites["Rclock"] = .site(MethodSite(name: "Rclock") { _, call in
            let start = call.interpreter.now
            let time = MethodSite(name: "time") { _, inner in .publish(.int(inner.interpreter.now - start)) }
            return .publish(.record(OrcRecord([("time", .site(time)), ("wait", .site(rwait))])))
        })
        sites["Vclock"] = .site(MethodSite(name: "Vclock") { arguments, call in
            let token = call.token
            let clock = VirtualClock(parent: token.clock)
            call.interpreter.clocks.append(clock)
            if token.countedBusy { token.clock?.busy -= 1; clock.busy += 1 }
            token.clock?.live -= 1
            clock.live += 1
            token.clock = clock
            return .publish(.signal)
        })
        sites["Vawait"] = .site(MethodSite(name: "Vawait") { arguments, call in
            guard let clock = call.token.clock else {
                return .error(OrcRuntimeError(kind: "orc.error.runtime.JavaException",
                                              message: "java.lang.IllegalStateException: Vawait outside of a virtual clock (use Vclock)"))
            }
            guard arguments.count == 1, case .int(let time) = arguments[0] else {
                return .error(.typeMismatch("Vawait", expected: "an integer time", got: arguments.first ?? .null))
            }
            if let now = clock.now {
                if time < now { return .halt }
                if time == now { return .publish(.bool(false)) }
            }
            clock.await(time, call)
            return .pending(quiescent: true)
        })
        sites["Vtime"] = .site(MethodSite(name: "Vtime") { _, call in
            guard let clock = call.token.clock else {
                return .error(OrcRuntimeError(kind: "orc.error.runtime.JavaException",
                                              message: "java.lang.IllegalStateException: Vtime outside of a virtual clock (use Vclock)"))
            }
            return .publish(.int(clock.now ?? 0))
        })
        return sites
    }

    private static func wait(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome {
        guard arguments.count == 1, case .int(let delay) = arguments[0] else {
            return .error(.typeMismatch("Rwait", expected: "an integer number of milliseconds", got: arguments.first ?? .null))
        }
        if delay < 0 { return .halt }
        if delay == 0 { return .publish(.signal) }
        let interpreter = call.interpreter
        interpreter.timers.add(deadline: interpreter.now + delay, call: call)
        return .pending(quiescent: true)   // timers do not hold virtual time (see VirtualClock.quiescent)
    }
}
