/// The id of a service in the registry (`service` in requests, events and connector calls).
public struct ServiceID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
