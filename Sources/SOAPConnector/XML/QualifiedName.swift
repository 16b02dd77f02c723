/// A namespace and a local name: how WSDL parts refer to each other.
struct QualifiedName: Hashable, Sendable, CustomStringConvertible {
    var namespace: String
    var local: String

    var description: String { namespace.isEmpty ? local : "{\(namespace)}\(local)" }
}
