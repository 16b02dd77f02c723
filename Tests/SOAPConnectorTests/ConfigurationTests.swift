import ConfigFile
import Foundation
import Testing
import WSECore
import WSETesting

@testable import SOAPConnector

/// Configurations are checked against their WSDL at start; every refusal names the file, line and column.
@Suite("SOAP connector configuration")
struct ConfigurationTests {
    /// A fresh folder with `files` in it (name → text).
    static func folder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wse-soap-\(RandomID.make(length: 8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return folder
    }

    /// A configuration for the sms service whose WSDL is `wsdl`, with one action calling `operation`.
    static func configuration(wsdl: String, operation: String = "SendSms", extra: String = "") -> String {
        """
        key: k
        services:
          sms:
            wsdl: "\(wsdl)"
        \(extra)
            actions:
              send:
                operation: \(operation)
                body:
                  message: "{data.text}"
        """
    }

    static func failure(_ text: String, folder: URL? = nil) async -> ConfigFileError? {
        do {
            _ = try await SOAPConnectorConfiguration.parse(yaml: text, file: "soap.yaml", folder: folder)
            return nil
        } catch {
            return error
        }
    }

    @Test("the demo configuration reads the live WSDL: endpoint, SOAP version, operations, list elements")
    func demoConfiguration() async throws {
        try await SMSStack.withServer { server in
            let configuration = try await SOAPConnectorConfiguration.load(
                file: SMSStack.configurationPath, environment: SMSStack.environment(wsdl: server.wsdlURL))
            #expect(configuration.key == SMSStack.key)
            #expect(configuration.port == 18091)
            let sms = try #require(configuration.services["sms"])
            #expect(sms.endpoint == server.url)
            #expect(sms.version == .v1_1)
            #expect(sms.actions["send"]?.operation.soapAction == "SendSms")
            #expect(sms.actions["send"]?.operation.requestElement == QualifiedName(namespace: "http://www.csapi.org/wsdl/parlayx/sms/v2_2/service", local: "SendSms"))
            #expect(sms.actions["send"]?.operation.qualifiedChildren == true)
            #expect(sms.actions["status"]?.requiredFields == [.data(["requestIdentifier"])])
            #expect(sms.shapes.children(ofType: "GetSmsDeliveryStatusResponse")["result"] == .init(repeated: true, type: "DeliveryInformation"))
            #expect(sms.shapes.children(ofType: "SendSmsResponse")["result"] == .init(repeated: false, type: "string"))
            #expect(sms.shapes.elements["SendSmsResponse"] == "SendSmsResponse")
            #expect(sms.security?.digest == true)
        }
    }

    @Test("an operation the WSDL does not have is refused at its line and column, listing the operations there are")
    func missingOperation() async throws {
        try await SMSStack.withServer { server in
            let error = await Self.failure(Self.configuration(wsdl: server.wsdlURL, operation: "SendMms"))
            #expect(error?.line == 8 && error?.column == 20, "\(String(describing: error))")
            #expect(error?.description.hasPrefix("soap.yaml:8:20: action sms.send: the WSDL") == true)
            #expect(error?.message.contains("has no operation \"SendMms\" in port SendSms; it has: GetSmsDeliveryStatus, SendSms") == true, "\(String(describing: error))")
            let port = await Self.failure(Self.configuration(wsdl: server.wsdlURL, extra: "    soap: \"1.2\""))
            #expect(port?.line == 5, "\(String(describing: port))")
            #expect(port?.message.contains("no such port; it has: SendSms (SOAP 1.1)") == true)
        }
    }

    @Test("a WSDL file that does not parse is refused at the wsdl line, with the place in the WSDL")
    func unparsableWSDL() async throws {
        let folder = try Self.folder(["broken.wsdl": "<?xml version=\"1.0\"?>\n<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\">\n  <wsdl:types>\n</wsdl:definitions>\n"])
        let error = await Self.failure(Self.configuration(wsdl: "broken.wsdl"), folder: folder)
        #expect(error?.line == 4 && error?.column == 11, "\(String(describing: error))")
        #expect(error?.message.contains("the WSDL broken.wsdl cannot be used: it does not parse as XML: line 4") == true, "\(String(describing: error))")
        #expect(error?.message.contains("the document ends before its elements are closed") == true, "\(String(describing: error))")
    }

    @Test("other documents, missing files and unreachable URLs are refused with what is wrong")
    func unusableWSDL() async throws {
        let folder = try Self.folder(["feed.xml": "<feed xmlns=\"http://www.w3.org/2005/Atom\"/>", "empty.wsdl": ""])
        let notWSDL = await Self.failure(Self.configuration(wsdl: "feed.xml"), folder: folder)
        #expect(notWSDL?.message.contains("not a WSDL 1.1 document") == true, "\(String(describing: notWSDL))")
        let empty = await Self.failure(Self.configuration(wsdl: "empty.wsdl"), folder: folder)
        #expect(empty?.message.contains("the document is empty") == true, "\(String(describing: empty))")
        let missing = await Self.failure(Self.configuration(wsdl: "nowhere.wsdl"), folder: folder)
        #expect(missing?.message.contains("cannot read the WSDL nowhere.wsdl") == true, "\(String(describing: missing))")
        let down = await Self.failure(Self.configuration(wsdl: "http://127.0.0.1:1/sms?wsdl"))
        #expect(down?.line == 4)
        #expect(down?.message.contains("cannot reach the WSDL server") == true, "\(String(describing: down))")
    }

    @Test("a saved copy of the WSDL works as a file relative to the configuration; body keys must be element names")
    func wsdlFile() async throws {
        try await SMSStack.withServer { server in
            let wsdl = try await http(.GET, server.wsdlURL).text
            let folder = try Self.folder(["sms.wsdl": wsdl])
            let configuration = try await SOAPConnectorConfiguration.parse(yaml: Self.configuration(wsdl: "sms.wsdl"), folder: folder)
            #expect(configuration.services["sms"]?.endpoint == server.url)
            let badName = Self.configuration(wsdl: "sms.wsdl").replacingOccurrences(of: "message:", with: "\"m:essage\":")
            let error = await Self.failure(badName, folder: folder)
            #expect(error?.message.contains("is not an XML element name") == true, "\(String(describing: error))")
        }
    }
}
