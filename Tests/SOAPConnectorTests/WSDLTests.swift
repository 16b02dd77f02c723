import Foundation
import Testing

@testable import SOAPConnector

/// WSDL reading without a server: styles, bindings of both SOAP versions, schema forms.
@Suite("SOAP connector: WSDL documents")
struct WSDLTests {
    /// One port type served by a document/literal SOAP 1.1 binding and an rpc SOAP 1.2 binding.
    static let wsdl = """
        <?xml version="1.0"?>
        <definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:s11="http://schemas.xmlsoap.org/wsdl/soap/"
            xmlns:s12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:xs="http://www.w3.org/2001/XMLSchema"
            xmlns:tns="urn:example:wsdl" xmlns:types="urn:example:types" targetNamespace="urn:example:wsdl">
          <types>
            <xs:schema targetNamespace="urn:example:types">
              <xs:element name="Ping"><xs:complexType><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
            </xs:schema>
          </types>
          <message name="PingIn"><part name="body" element="types:Ping"/></message>
          <message name="PingRpcIn"><part name="text" type="xs:string"/></message>
          <portType name="Pinger"><operation name="Ping"><input message="tns:PingIn"/></operation></portType>
          <portType name="RpcPinger"><operation name="Ping"><input message="tns:PingRpcIn"/></operation></portType>
          <binding name="Doc11" type="tns:Pinger">
            <s11:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
            <operation name="Ping"><s11:operation soapAction="urn:ping"/><input><s11:body use="literal"/></input></operation>
          </binding>
          <binding name="Rpc12" type="tns:RpcPinger">
            <s12:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>
            <operation name="Ping"><s12:operation soapAction=""/><input><s12:body use="literal" namespace="urn:example:rpc"/></input></operation>
          </binding>
          <binding name="NotSOAP" type="tns:Pinger"><operation name="Ping"/></binding>
          <service name="PingService">
            <port name="Doc" binding="tns:Doc11"><s11:address location="http://127.0.0.1:1/doc"/></port>
            <port name="Rpc" binding="tns:Rpc12"><s12:address location="http://127.0.0.1:1/rpc"/></port>
            <port name="Other" binding="tns:NotSOAP"/>
          </service>
        </definitions>
        """

    @Test("document ports send the part's element, unqualified children by default; rpc ports the operation in the body's namespace")
    func styles() throws {
        let description = try WSDLDescription(parsing: Data(Self.wsdl.utf8))
        #expect(description.ports.map(\.name) == ["Doc", "Rpc"], "ports without a SOAP binding are left out")
        let document = try #require(description.ports.first { $0.name == "Doc" })
        #expect(document.version == .v1_1 && document.address == "http://127.0.0.1:1/doc")
        let ping = try #require(document.operations["Ping"])
        #expect(ping.requestElement == QualifiedName(namespace: "urn:example:types", local: "Ping"))
        #expect(ping.soapAction == "urn:ping" && !ping.qualifiedChildren)
        let rpc = try #require(description.ports.first { $0.name == "Rpc" }?.operations["Ping"])
        #expect(description.ports.last?.version == .v1_2)
        #expect(rpc.requestElement == QualifiedName(namespace: "urn:example:rpc", local: "Ping"))
        #expect(rpc.soapAction == nil, "an empty soapAction is none")
    }

    @Test("documents that are not WSDL, or have no SOAP port, are refused with the reason")
    func refused() {
        for (text, reason) in [
            ("<definitions xmlns=\"urn:other\"/>", "not a WSDL 1.1 document"),
            ("<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\"/>", "no service port with a SOAP 1.1 or 1.2 binding"),
            ("<definitions", "does not parse as XML"),
        ] {
            #expect(throws: WSDLDescription.Invalid.self) { try WSDLDescription(parsing: Data(text.utf8)) }
            do {
                _ = try WSDLDescription(parsing: Data(text.utf8))
            } catch {
                #expect(error.description.contains(reason), "\(error)")
            }
        }
    }
}
