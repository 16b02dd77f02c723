import Foundation
import Synchronization
import Testing
import WSETesting
import Orc

/// The API the orchestrator uses: host sites, bound variables, streams, kill, conversions.
@Suite struct HostTests {
    @Test func hostSitesPublishHaltAndFail() async throws {
        let double = OrcValue.hostSite("double", OrcHostSite { arguments in
            guard case .int(let n) = arguments.first else { return .error(.signalled("not an int")) }
            return n < 0 ? .halt : .publish(.int(n * 2))
        })
        let transcript = try await runOrc(#"double(21) | (double(-1) ; "halted") | double("x")"#,
                                          host: ["double": double], hostNames: ["double"])
        #expect(sortedLines(transcript) == ["\"halted\"", "42", "Error: orc.error.runtime.ProgramSignalledError: not an int"])
    }

    @Test func hostCallsAreCancelledWhenPruned() async throws {
        let cancelled = Mutex(false)
        // `fast` publishes only once `slow` is running, so that there is a host call for the prune to cancel.
        let (slowStarted, signalSlowStarted) = AsyncStream.makeStream(of: Void.self)
        let slow = OrcValue.hostSite("slow", OrcHostSite { _ in
            signalSlowStarted.yield()
            do {
                try await Task.sleep(for: .seconds(3600))  // until cancelled
                return .publish(.string("slow"))
            } catch {
                cancelled.withLock { $0 = true }
                return .halt
            }
        })
        let whenSlowStarted = OrcValue.hostSite("whenSlowStarted", OrcHostSite { _ in
            for await _ in slowStarted { break }
            return .publish(.string("fast"))
        })
        let transcript = try await runOrc("x <x< (slow() | whenSlowStarted())",
                                          host: ["slow": slow, "whenSlowStarted": whenSlowStarted], hostNames: ["slow", "whenSlowStarted"])
        #expect(transcript.text == "\"fast\"\n")
        #expect(transcript.outcome == .halted)
        try await eventually("the host call is cancelled") { cancelled.withLock { $0 } }
    }

    @Test func virtualTimeDoesNotOvertakeHostCalls() async throws {
        let slow = OrcValue.hostSite("slow", OrcHostSite { _ in
            try? await Task.sleep(for: .milliseconds(50))
            return .publish(.string("host"))
        })
        let transcript = try await runOrc("slow() | Rwait(100000) >> \"timer\"", host: ["slow": slow], hostNames: ["slow"])
        #expect(transcript.text == "\"host\"\n\"timer\"\n")
    }

    @Test func hostNamesDoNotChangeWhatThePreludeCalls() async throws {
        // The prelude is resolved once, without host names: its `collect` makes the builtin `Channel`,
        // while the program's own `Channel()` calls the host's site.
        let channel = OrcValue.hostSite("Channel", OrcHostSite { _ in .publish(.string("host")) })
        let transcript = try await runOrc("collect(lambda() = 7) | Channel()", host: ["Channel": channel], hostNames: ["Channel"])
        #expect(sortedLines(transcript) == ["\"host\"", "[7]"])
    }

    @Test func boundVariablesAndPlainConversions() async throws {
        let request = OrcValue(plain: ["name": "ada", "tags": ["x", "y"], "age": 36, "ok": true, "none": nil] as [String: Any?])
        let back = request.plainValue as? [String: Any]
        #expect(back?["name"] as? String == "ada")
        #expect((back?["tags"] as? [Any])?.count == 2)
        #expect(back?["none"] is NSNull)
        // The value moves to the run (`sending`): it is read above, before it goes.
        let transcript = try await runOrc("request.name + \"/\" + length(request.tags) | request", host: ["request": request], hostNames: ["request"])
        #expect(sortedLines(transcript) == ["\"ada/2\"", #"{. age = 36, name = "ada", none = null, ok = true, tags = ["x", "y"] .}"#])
    }

    @Test func hostSitesGetACopyThatSharesNothingWithTheRun() async throws {
        let seen = Mutex<[String]>([])
        let inspect = OrcValue.hostSite("inspect", OrcHostSite { arguments in
            let kinds = arguments.map { value -> String in
                switch value {
                case .site(let site): return "site \(site.name)"
                case .string(let text): return "string \(text)"
                default: return value.formatted
                }
            }
            seen.withLock { $0 = kinds }
            return .publish(.signal)
        })
        let transcript = try await runOrc("inspect(Channel(), events, [1, \"a\"])", host: ["inspect": inspect, "events": .site(OrcStream(name: "events"))],
                                          hostNames: ["inspect", "events"])
        #expect(transcript.text == "signal\n")
        // The run's channel arrives as its printed form; the host's own stream stays a stream.
        #expect(seen.withLock { $0 } == ["string Channel", "site events", "[1, \"a\"]"])
    }

    @Test func streamsDeliverNotificationsAsTheyArrive() async throws {
        let stream = OrcStream()
        let program = try OrcProgram(source: "def loop() = events.get() >e> (e | loop())  loop()", hostNames: ["events"])
        let published = Mutex<[String]>([])
        let run = OrcRun(program: program, host: ["events": .site(stream)], events: OrcRunEvents(publish: { value in
            published.withLock { $0.append(value.formatted) }
        }))
        stream.send(.string("first"))
        try await eventually("one publication") { published.withLock { $0.count } == 1 }
        stream.send(.int(2))
        stream.finish()
        #expect(await run.outcome() == .halted)
        #expect(published.withLock { $0 } == ["\"first\"", "2"])
    }

    @Test func killStopsARunningProgram() async throws {
        let program = try OrcProgram(source: "metronome(10) >> Println(\"tick\")")
        let ticks = Mutex(0)
        let run = OrcRun(program: program, virtualTime: true, events: OrcRunEvents(print: { _ in ticks.withLock { $0 += 1 } }))
        try await eventually("two ticks") { ticks.withLock { $0 } >= 2 }
        run.kill()
        #expect(await run.outcome() == .killed)
    }

    @Test func errorsCarryTheirLocationAndTheEndIsSignalled() async throws {
        let program = try OrcProgram(source: "1 +\n  (2 / 0)", file: "div.orc")
        let errors = Mutex<[OrcRuntimeError]>([])
        let ended = Mutex<OrcRunOutcome?>(nil)
        let run = OrcRun(program: program, events: OrcRunEvents(error: { error in errors.withLock { $0.append(error) } },
                                                                 finished: { outcome in ended.withLock { $0 = outcome } }))
        #expect(await run.outcome() == .halted)
        let error = try #require(errors.withLock { $0.first })
        #expect(error.location == SourceLocation(file: "div.orc", line: 2, column: 6))
        #expect(ended.withLock { $0 } == .halted)
    }

    @Test func aFailingUserExtractorIsReportedAtItsPattern() async throws {
        let program = try OrcProgram(source: "val p = {. unapply = 3 .}\n1 >p(y)> y", file: "extract.orc")
        let errors = Mutex<[OrcRuntimeError]>([])
        let run = OrcRun(program: program, events: OrcRunEvents(error: { error in errors.withLock { $0.append(error) } }))
        #expect(await run.outcome() == .halted)
        let error = try #require(errors.withLock { $0.first })
        #expect(error.location == SourceLocation(file: "extract.orc", line: 2, column: 4))
    }

    @Test func missingHostNameIsAParseError() {
        #expect(throws: OrcParseError.self) { try OrcProgram(source: "request", hostNames: []) }
    }
}
