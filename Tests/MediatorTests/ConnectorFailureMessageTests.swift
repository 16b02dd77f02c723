import Testing
import WSECore

@testable import Mediator

/// A connector's or upstream's address is the operator's business: the error a browser receives names
/// the service, never a URL, whatever the connector put in its error message.
@Suite struct ConnectorFailureMessageTests {
    static let upstream = "http://10.0.0.5:9000/forecast?key=s3cret"

    @Test(arguments: [
        ConnectorFailure.refused(status: 502, code: "upstream_failed", message: "the weather service (GET \(upstream)) answered 500"),
        .refused(status: 400, code: "bad_request", message: "refused to call \(upstream): it is not on the service's origin https://api.example"),
        .unreachable("cannot connect to 10.0.0.5:9000"),
        .malformedReply("reply from \(upstream) is not JSON"),
        .timeout,
    ])
    func theClientMessageNamesTheServiceNotTheAddress(failure: ConnectorFailure) {
        let message = failure.serviceError(service: "weather").message
        #expect(!message.contains("://"), "\(message)")
        #expect(!message.contains("10.0.0.5"), "\(message)")
        #expect(!message.contains("s3cret"), "\(message)")
        #expect(message.contains("weather"), "\(message)")
    }

    @Test func theRestOfAConnectorsMessageIsKept() {
        let failure = ConnectorFailure.refused(status: 400, code: "bad_request", message: "address missing in \(Self.upstream) call")
        #expect(failure.serviceError(service: "weather").message.contains("address missing in"))
    }
}
