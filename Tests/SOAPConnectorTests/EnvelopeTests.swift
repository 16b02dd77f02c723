import ConnectorKit
import Foundation
import FoundationXML
import Testing
import WSECore

@testable import SOAPConnector

/// The XML the connector writes and reads, without a server.
@Suite("SOAP connector: envelopes, faults, XML input")
struct EnvelopeTests {
    static let namespace = "urn:example:sms"

    static func action(qualified: Bool) throws -> SOAPActionMapping {
        let operation = WSDLDescription.Operation(
            name: "SendSms", soapAction: "SendSms", requestElement: QualifiedName(namespace: namespace, local: "SendSms"), qualifiedChildren: qualified)
        func text(_ template: String) throws -> ElementContent { .text(try StringTemplate(parsing: template, allowed: ["data", "user"], environment: [:])) }
        return SOAPActionMapping(
            operation: operation,
            body: [("addresses", try text("{data.to}")), ("message", try text("{data.text}")), ("sender", .children([("name", try text("{user}"))]))],
            response: .whole)
    }

    @Test("the request element is in its namespace; children follow the schema's form; text is escaped, lists repeat")
    func requestEnvelope() throws {
        let values = TemplateValues(user: "alice", pid: "p", data: ["to": ["tel:+1", "tel:+2"], "text": "a < b & \"c\" ]]>"])
        for version in SOAPVersion.allCases {
            let data = try SOAPRequest.envelope(try Self.action(qualified: true), version: version, security: nil, values: values)
            let root = try XMLInput.root(of: data)
            #expect(root.localName == "Envelope" && root.uri == version.envelopeNamespace)
            let request = try #require(root.child("Body", in: version.envelopeNamespace)?.child("SendSms", in: Self.namespace))
            #expect(request.children("addresses", in: Self.namespace).map(\.trimmedText) == ["tel:+1", "tel:+2"])
            #expect(request.child("message", in: Self.namespace)?.stringValue == "a < b & \"c\" ]]>")
            #expect(request.child("sender", in: Self.namespace)?.child("name", in: Self.namespace)?.stringValue == "alice")
            #expect(root.child("Header", in: version.envelopeNamespace) == nil)
        }
        let unqualified = try XMLInput.root(of: try SOAPRequest.envelope(try Self.action(qualified: false), version: .v1_1, security: nil, values: values))
        let request = try #require(unqualified.child("Body", in: SOAPVersion.v1_1.envelopeNamespace)?.child("SendSms", in: Self.namespace))
        #expect(request.childElements.first?.uri ?? "" == "", "unqualified children have no namespace")
    }

    @Test("the UsernameToken header: must-understand, text password, or a digest as the profile computes it")
    func usernameToken() throws {
        #expect(UsernameToken.digest(nonce: Array(0..<16), created: "2026-12-05T12:00:00.000Z", password: "secret") == "9Cus7ZpsucvTKFOfP1WJJFL34AU=")
        let values = TemplateValues(user: "alice", pid: "p", data: ["to": "tel:+1", "text": "hi"])
        for digest in [false, true] {
            let token = UsernameToken(username: "wse", password: "secret", digest: digest)
            let root = try XMLInput.root(of: try SOAPRequest.envelope(try Self.action(qualified: true), version: .v1_2, security: token, values: values))
            let security = try #require(root.child("Header", in: SOAPVersion.v1_2.envelopeNamespace)?.child("Security", in: UsernameToken.securityNamespace))
            #expect(security.attributes?.first { $0.localName == "mustUnderstand" }?.stringValue == "true")
            let usernameToken = try #require(security.child("UsernameToken", in: UsernameToken.securityNamespace))
            #expect(usernameToken.child("Username", in: UsernameToken.securityNamespace)?.stringValue == "wse")
            let password = try #require(usernameToken.child("Password", in: UsernameToken.securityNamespace))
            if digest {
                let nonce = try #require(usernameToken.child("Nonce", in: UsernameToken.securityNamespace)?.stringValue.flatMap { Data(base64Encoded: $0) })
                let created = try #require(usernameToken.child("Created", in: UsernameToken.utilityNamespace)?.stringValue)
                #expect(nonce.count == 16)
                #expect(password.stringValue == UsernameToken.digest(nonce: Array(nonce), created: created, password: "secret"))
                #expect(password.attributeValue("Type")?.hasSuffix("#PasswordDigest") == true)
            } else {
                #expect(password.stringValue == "secret")
                #expect(password.attributeValue("Type")?.hasSuffix("#PasswordText") == true)
            }
        }
    }

    static func fault(_ xml: String, _ version: SOAPVersion) throws -> ConnectorError {
        let reply = SOAPReply(version: version, what: "the sms service (SendSms)", shapes: SchemaShapes())
        do {
            _ = try reply.payload(status: 500, contentType: "text/xml", body: Data(xml.utf8))
            throw TestFailure("no fault")
        } catch let error as ConnectorError {
            return error
        }
    }

    struct TestFailure: Error { let message: String; init(_ message: String) { self.message = message } }

    @Test("faults: the code and string in the message; Client/Sender 400, others 502; WS-Security faults blame the credentials")
    func faults() throws {
        let client = try Self.fault(
            #"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault><faultcode>e:Client</faultcode><faultstring>bad address</faultstring></e:Fault></e:Body></e:Envelope>"#,
            .v1_1)
        #expect(client == ConnectorError(status: .badRequest, code: "soap_fault", message: "the sms service (SendSms) answered a SOAP fault e:Client: bad address"))
        let security = try Self.fault(
            #"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><e:Body><e:Fault><faultcode>wsse:FailedAuthentication</faultcode><faultstring>no</faultstring></e:Fault></e:Body></e:Envelope>"#,
            .v1_1)
        #expect(security.status == .badGateway)
        #expect(security.message.hasSuffix("(check the connector's credentials for it)"))
        let receiver = try Self.fault(
            #"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value><env:Subcode><env:Value>SVC0001</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">down</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>"#,
            .v1_2)
        #expect(receiver == ConnectorError(status: .badGateway, code: "soap_fault", message: "the sms service (SendSms) answered a SOAP fault Receiver/SVC0001: down"))
    }

    @Test("XML input: empty documents, document type declarations (entity bombs) and broken XML are refused with a reason")
    func xmlInput() {
        #expect(throws: XMLInput.Failure(reason: "the document is empty")) { try XMLInput.root(of: Data("  \n".utf8)) }
        let bomb = #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>"#
        #expect(throws: XMLInput.Failure.self) { try XMLInput.root(of: Data(bomb.utf8)) }
        do {
            _ = try XMLInput.root(of: Data("<a>\n<b></a>".utf8))
            Issue.record("broken XML was accepted")
        } catch {
            #expect(error.line == 2)
        }
    }

    @Test("answers: lists the schema declares stay lists, repeated names become lists, xsi:nil is null")
    func answerShapes() throws {
        let schema = """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="R"><xs:complexType><xs:sequence>
            <xs:element name="item" maxOccurs="unbounded"><xs:complexType><xs:sequence><xs:element name="tag" maxOccurs="5" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
            <xs:element name="one" type="xs:string"/></xs:sequence></xs:complexType></xs:element></xs:schema>
            """
        let shapes = SchemaShapes(schemas: [try XMLInput.root(of: Data(schema.utf8))])
        let answer = #"<R xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><item><tag>a</tag></item><one xsi:nil="true"/><twice>1</twice><twice>2</twice></R>"#
        let json = XMLJSON(shapes: shapes).value(of: try XMLInput.root(of: Data(answer.utf8)))
        #expect(json == ["item": [["tag": ["a"]]], "one": .null, "twice": ["1", "2"]])
    }

    @Test("answers: attributes are \"@name\" members; a leaf with attributes keeps its text as \"#text\"; xmlns and xsi are left out")
    func answerAttributes() throws {
        let answer = """
            <R xmlns="urn:example:sms" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:p="urn:p" version="2">\
            <price currency="EUR">12.50</price><item id="7"><name>a</name></item><flag on="yes"/>\
            <typed xsi:type="xs:string">x</typed><gone xsi:nil="true" reason="none"/><said p:lang="en">hi</said><plain>b</plain></R>
            """
        let json = XMLJSON(shapes: SchemaShapes(schemas: [])).value(of: try XMLInput.root(of: Data(answer.utf8)))
        #expect(json == [
            "@version": "2", "price": ["@currency": "EUR", "#text": "12.50"], "item": ["@id": "7", "name": "a"],
            "flag": ["@on": "yes", "#text": ""], "typed": "x", "gone": .null, "said": ["@lang": "en", "#text": "hi"], "plain": "b",
        ])
    }
}
