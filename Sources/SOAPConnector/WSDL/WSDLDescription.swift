import Foundation
import FoundationXML

/// What the connector takes from a WSDL 1.1 document: its SOAP ports, and for each
/// operation of a port's binding the action and the request element to send, plus the
/// schema facts that shape requests and answers.
struct WSDLDescription: Sendable {
    /// A `wsdl:port` with a SOAP 1.1 or 1.2 binding, in document order.
    struct Port: Sendable {
        var name: String
        var address: String?
        var version: SOAPVersion
        var operations: [String: Operation]
    }

    /// One operation of a SOAP binding.
    struct Operation: Sendable {
        var name: String
        var soapAction: String?
        /// The element the Body carries: for document style the input message part's element,
        /// for rpc style the operation's name in the binding's namespace.
        var requestElement: QualifiedName
        /// Whether the request element's children are in its namespace (schema `elementFormDefault="qualified"`, rpc: no).
        var qualifiedChildren: Bool
    }

    var ports: [Port]
    var shapes: SchemaShapes

    static let wsdlNamespace = "http://schemas.xmlsoap.org/wsdl/"
    static let schemaNamespace = "http://www.w3.org/2001/XMLSchema"

    /// Why a document is not a WSDL the connector can use.
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    init(parsing data: Data) throws(Invalid) {
        let root: XMLElement
        do {
            root = try XMLInput.root(of: data)
        } catch {
            throw Invalid(description: "it does not parse as XML: \(error)")
        }
        guard root.localName == "definitions", root.uri == Self.wsdlNamespace else {
            throw Invalid(description: "it is not a WSDL 1.1 document (its root is \(QualifiedName(namespace: root.uri ?? "", local: root.localName ?? "?")), not wsdl:definitions)")
        }
        let targetNamespace = root.attributeValue("targetNamespace") ?? ""
        let schemas = root.child("types", in: Self.wsdlNamespace)?.children("schema", in: Self.schemaNamespace) ?? []
        var qualifiedElements: [QualifiedName: Bool] = [:]
        for schema in schemas {
            let namespace = schema.attributeValue("targetNamespace") ?? ""
            let qualified = schema.attributeValue("elementFormDefault") == "qualified"
            for element in schema.children("element", in: Self.schemaNamespace) {
                if let name = element.attributeValue("name") { qualifiedElements[QualifiedName(namespace: namespace, local: name)] = qualified }
            }
        }
        var messages: [QualifiedName: QualifiedName] = [:]  // message → its (first) part's element
        for message in root.children("message", in: Self.wsdlNamespace) {
            guard let name = message.attributeValue("name"),
                let element = message.child("part", in: Self.wsdlNamespace)?.qualifiedNameAttribute("element")
            else { continue }
            messages[QualifiedName(namespace: targetNamespace, local: name)] = element
        }
        var inputs: [QualifiedName: [String: QualifiedName]] = [:]  // portType → operation → input message
        for portType in root.children("portType", in: Self.wsdlNamespace) {
            guard let name = portType.attributeValue("name") else { continue }
            var operations: [String: QualifiedName] = [:]
            for operation in portType.children("operation", in: Self.wsdlNamespace) {
                if let operationName = operation.attributeValue("name"),
                    let input = operation.child("input", in: Self.wsdlNamespace)?.qualifiedNameAttribute("message")
                {
                    operations[operationName] = input
                }
            }
            inputs[QualifiedName(namespace: targetNamespace, local: name)] = operations
        }
        var bindings: [QualifiedName: (SOAPVersion, [String: Operation])] = [:]
        for binding in root.children("binding", in: Self.wsdlNamespace) {
            guard let name = binding.attributeValue("name"),
                let version = SOAPVersion.allCases.first(where: { binding.child("binding", in: $0.wsdlBindingNamespace) != nil }),
                let portType = binding.qualifiedNameAttribute("type")
            else { continue }
            let soap = version.wsdlBindingNamespace
            let defaultStyle = binding.child("binding", in: soap)?.attributeValue("style") ?? "document"
            var operations: [String: Operation] = [:]
            for operation in binding.children("operation", in: Self.wsdlNamespace) {
                guard let operationName = operation.attributeValue("name") else { continue }
                let soapOperation = operation.child("operation", in: soap)
                let style = soapOperation?.attributeValue("style") ?? defaultStyle
                let request: QualifiedName
                let qualified: Bool
                if style == "rpc" {
                    let body = operation.child("input", in: Self.wsdlNamespace)?.child("body", in: soap)
                    request = QualifiedName(namespace: body?.attributeValue("namespace") ?? targetNamespace, local: operationName)
                    qualified = false
                } else {
                    guard let message = inputs[portType]?[operationName], let element = messages[message] else {
                        throw Invalid(description: "operation \(operationName) of binding \(name) has no input message with an element part")
                    }
                    request = element
                    qualified = qualifiedElements[element] ?? false
                }
                operations[operationName] = Operation(
                    name: operationName, soapAction: soapOperation?.attributeValue("soapAction").flatMap { $0.isEmpty ? nil : $0 },
                    requestElement: request, qualifiedChildren: qualified)
            }
            bindings[QualifiedName(namespace: targetNamespace, local: name)] = (version, operations)
        }
        var ports: [Port] = []
        for service in root.children("service", in: Self.wsdlNamespace) {
            for port in service.children("port", in: Self.wsdlNamespace) {
                guard let name = port.attributeValue("name"), let bindingName = port.qualifiedNameAttribute("binding"),
                    let (version, operations) = bindings[bindingName]
                else { continue }
                let address = port.child("address", in: version.wsdlBindingNamespace)?.attributeValue("location")
                ports.append(Port(name: name, address: address, version: version, operations: operations))
            }
        }
        guard !ports.isEmpty else { throw Invalid(description: "it has no service port with a SOAP 1.1 or 1.2 binding") }
        self.ports = ports
        self.shapes = SchemaShapes(schemas: schemas)
    }
}
