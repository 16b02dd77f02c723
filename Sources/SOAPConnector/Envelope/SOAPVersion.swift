/// SOAP 1.1 or 1.2: the envelope namespace, how the action travels, how faults look.
enum SOAPVersion: String, Sendable, CaseIterable {
    case v1_1 = "1.1"
    case v1_2 = "1.2"

    var envelopeNamespace: String {
        switch self {
        case .v1_1: "http://schemas.xmlsoap.org/soap/envelope/"
        case .v1_2: "http://www.w3.org/2003/05/soap-envelope"
        }
    }

    /// The namespace of WSDL 1.1's binding extension for this version.
    var wsdlBindingNamespace: String {
        switch self {
        case .v1_1: "http://schemas.xmlsoap.org/wsdl/soap/"
        case .v1_2: "http://schemas.xmlsoap.org/wsdl/soap12/"
        }
    }

    /// The request headers: 1.1 has `SOAPAction`, 1.2 puts the action in the content type.
    func headers(action: String?) -> [(name: String, value: String)] {
        switch self {
        case .v1_1:
            [("Content-Type", "text/xml; charset=utf-8"), ("SOAPAction", "\"\(action ?? "")\"")]
        case .v1_2:
            [("Content-Type", "application/soap+xml; charset=utf-8" + (action.map { "; action=\"\($0)\"" } ?? ""))]
        }
    }

    /// `mustUnderstand`'s true value.
    var mustUnderstandValue: String { self == .v1_1 ? "1" : "true" }
}
