import Foundation

/// Runnable tokens, first in first out (a ring buffer).
struct TokenQueue {
    private var storage: [Token?] = Array(repeating: nil, count: 64)
    private var head = 0
    private(set) var count = 0

    mutating func push(_ token: Token) {
        if count == storage.count {
            var grown: [Token?] = Array(repeating: nil, count: storage.count * 2)
            for index in 0..<count { grown[index] = storage[(head + index) % storage.count] }
            storage = grown
            head = 0
        }
        storage[(head + count) % storage.count] = token
        count += 1
    }

    mutating func pop() -> Token? {
        guard count > 0 else { return nil }
        let token = storage[head]
        storage[head] = nil
        head = (head + 1) % storage.count
        count -= 1
        return token
    }
}
