import Foundation
import WSECore

/// A OneAPI periodic-notification subscription: every `frequency` seconds the position of
/// `address` is POSTed to `notifyURL`, for `duration` seconds or until it is deleted.
public struct PeriodicSubscription: Sendable, Hashable {
    public var id: String
    public var address: String
    public var notifyURL: String
    /// Echoed in every notification so that the client can tell its subscriptions apart.
    public var callbackData: String?
    /// Seconds between notifications. OneAPI uses whole seconds; fractions are accepted (extension).
    public var frequency: Double
    /// Seconds after which the subscription ends by itself; nil for never.
    public var duration: Double?
    public var requestedAccuracy: Double?
    public var clientCorrelator: String?
    /// The URL of this subscription, which `DELETE` removes.
    public var resourceURL: String

    /// The smallest and largest accepted `frequency`.
    static let frequencyRange: ClosedRange<Double> = 0.05...86_400

    /// Reads `{"periodicNotificationSubscription":{…}}`; every problem names the part at fault.
    init(body: JSONValue?, id: String, resourceURL: String) throws(OneAPIError) {
        guard let body else { throw .invalidInput("body", "not a JSON object") }
        guard let request = body["periodicNotificationSubscription"], request.objectValue != nil else {
            throw .invalidInput("periodicNotificationSubscription", "missing")
        }
        guard let callback = request["callbackReference"], callback.objectValue != nil else {
            throw .invalidInput("callbackReference", "missing")
        }
        guard let notifyURL = callback["notifyURL"]?.stringValue,
            let url = URL(string: notifyURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
        else { throw .invalidInput("notifyURL", "an absolute http(s) URL is required") }
        guard let address = request["address"]?.stringValue, address.hasPrefix("tel:") else {
            throw .invalidInput("address", "a tel: URI is required")
        }
        guard let frequency = request["frequency"]?.doubleValue, Self.frequencyRange.contains(frequency) else {
            throw .invalidInput("frequency", "seconds between \(Self.frequencyRange.lowerBound) and \(Int(Self.frequencyRange.upperBound)) are required")
        }
        if let duration = request["duration"], !duration.isNull {
            guard let seconds = duration.doubleValue, seconds > 0 else { throw .invalidInput("duration", "a positive number of seconds is required") }
            self.duration = seconds
        }
        if let accuracy = request["requestedAccuracy"], !accuracy.isNull {
            guard let metres = accuracy.doubleValue, metres > 0 else { throw .invalidInput("requestedAccuracy", "a positive number of metres is required") }
            self.requestedAccuracy = metres
        }
        self.id = id
        self.address = address
        self.notifyURL = notifyURL
        self.callbackData = callback["callbackData"]?.stringValue
        self.frequency = frequency
        self.clientCorrelator = request["clientCorrelator"]?.stringValue
        self.resourceURL = resourceURL
    }

    /// The subscription as the API shows it (the request's fields plus `resourceURL`).
    var json: JSONValue {
        var callback: [String: JSONValue] = ["notifyURL": .string(notifyURL)]
        callback["callbackData"] = callbackData.map(JSONValue.string)
        var fields: [String: JSONValue] = [
            "callbackReference": .object(callback),
            "address": .string(address),
            "frequency": .number(frequency),
            "resourceURL": .string(resourceURL),
        ]
        fields["duration"] = duration.map(JSONValue.number)
        fields["requestedAccuracy"] = requestedAccuracy.map(JSONValue.number)
        fields["clientCorrelator"] = clientCorrelator.map(JSONValue.string)
        return ["periodicNotificationSubscription": .object(fields)]
    }

    /// The body POSTed to `notifyURL`: `{"subscriptionNotification":{"callbackData","terminalLocation"}}`.
    func notification(for position: TerminalPosition) -> JSONValue {
        var fields: [String: JSONValue] = ["terminalLocation": TerminalLocation.retrieved(address, position)]
        fields["callbackData"] = callbackData.map(JSONValue.string)
        return ["subscriptionNotification": .object(fields)]
    }
}
