import Hummingbird
import WSECore

/// An error in the OneAPI style: `{"requestError":{"serviceException":{"messageId","text","variables"}}}`.
///
/// OneAPI's texts carry `%1` placeholders filled from `variables`; the service fills them
/// in `text` itself so that a client showing `text` shows something readable.
struct OneAPIError: Error {
    var status: HTTPResponse.Status
    var messageID: String
    var text: String
    var variables: [String]
    /// `serviceException`, or `policyException` when a policy (such as privacy) refused the request.
    var exception = "serviceException"

    /// SVC0002: a parameter has a wrong or missing value.
    static func invalidInput(_ part: String, _ why: String) -> OneAPIError {
        OneAPIError(status: .badRequest, messageID: "SVC0002", text: "Invalid input value for message part \(part): \(why)", variables: [part])
    }

    /// SVC0004: none of the addresses is known.
    static func unknownAddresses(_ addresses: [String]) -> OneAPIError {
        OneAPIError(
            status: .notFound, messageID: "SVC0004",
            text: "No valid addresses provided in message part address: \(addresses.joined(separator: ", "))",
            variables: ["address"] + addresses)
    }

    /// POL0002: the address's owner has not allowed the requester to locate it (or no requester was named).
    static func privacyDenied(_ address: String) -> OneAPIError {
        OneAPIError(
            status: .forbidden, messageID: "POL0002", text: "Privacy verification failed for address \(address)",
            variables: [address], exception: "policyException")
    }

    /// SVC0004 for an unknown subscription resource.
    static func unknownSubscription(_ id: String) -> OneAPIError {
        OneAPIError(status: .notFound, messageID: "SVC0004", text: "No subscription \(id)", variables: ["subscriptionId", id])
    }

    var serviceException: JSONValue {
        ["messageId": .string(messageID), "text": .string(text), "variables": .array(variables.map(JSONValue.string))]
    }

    var body: JSONValue { ["requestError": .object([exception: serviceException])] }

    var response: Response { .json(status, body) }
}
