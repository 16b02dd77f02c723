/// The batch form of connector IN as a connector sees it (docs/PROTOCOL-EXTENSIONS.md): the request body
/// for several pushes, and the per-push results of the answer.
public enum ConnectorInBatch {
    /// What connector IN answered for one push of a batch: the status it would have answered the push
    /// alone, and the error message when it refused it.
    public struct Result: Sendable, Equatable {
        public var status: Int
        public var message: String?

        public init(status: Int, message: String? = nil) {
            self.status = status
            self.message = message
        }
    }

    /// The body for pushes given as JSON texts: a JSON array of them.
    public static func body(_ pushes: [String]) -> String {
        "[" + pushes.joined(separator: ",") + "]"
    }

    /// The results of a 200 answer `{"results":[…]}`; nil when the answer is not that, or does not have
    /// one result per push (a node without the batch form answers 400: send the pushes one by one then).
    public static func results(of answer: some Collection<UInt8>, count: Int) -> [Result]? {
        guard let items = (try? JSONValue.parse(answer))?["results"]?.arrayValue, items.count == count else { return nil }
        var results: [Result] = []
        for item in items {
            guard let status = item["status"]?.intValue else { return nil }
            results.append(Result(status: status, message: item["error"]?["message"]?.stringValue))
        }
        return results
    }
}
