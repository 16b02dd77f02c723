import WSECore
import IdentityProxyTesting

/// Holds logins at the subscriber lookup (the step just before the password hash) until the test
/// opens it, and counts how many got there: the logins that would have reached the hasher.
actor LoginGate {
    private var arrivals = 0
    private var answers = 0
    private var isOpen = false
    private var held: [CheckedContinuation<Void, Never>] = []
    private var settledWatch: (total: Int, continuation: CheckedContinuation<Int, Never>)?

    /// Called by the store for each lookup: counts it and waits while the gate is closed.
    func enter() async {
        arrivals += 1
        notifyIfSettled()
        if !isOpen { await withCheckedContinuation { held.append($0) } }
    }

    /// Called by the test for each login that returned.
    func answered() {
        answers += 1
        notifyIfSettled()
    }

    /// Waits until each of `total` logins has either reached the lookup or returned, opens the
    /// gate, and says how many reached the lookup.
    func openWhenSettled(total: Int) async -> Int {
        if arrivals + answers < total {
            _ = await withCheckedContinuation { settledWatch = (total, $0) }
        }
        isOpen = true
        for login in held { login.resume() }
        held = []
        return arrivals
    }

    private func notifyIfSettled() {
        guard let watch = settledWatch, arrivals + answers >= watch.total else { return }
        settledWatch = nil
        watch.continuation.resume(returning: arrivals)
    }
}

/// A subscriber store whose lookups pass through a `LoginGate`.
struct GatedSubscriberStore: SubscriberStore {
    let gate = LoginGate()
    let store = InMemoryIdentityStore()

    func subscriber(named username: String) async throws(StoreError) -> Subscriber? {
        await gate.enter()
        return try await store.subscriber(named: username)
    }

    func save(_ subscriber: Subscriber) async throws(StoreError) { try await store.save(subscriber) }
}
