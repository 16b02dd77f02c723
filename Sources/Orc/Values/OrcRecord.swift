/// An Orc record `{. k = v, … .}`: fields in the order they were written (later keys replace earlier).
public struct OrcRecord {
    public private(set) var fields: [(key: String, value: OrcValue)]

    public init(_ fields: [(String, OrcValue)]) {
        self.fields = []
        for (key, value) in fields { self[key] = value }
    }

    public subscript(key: String) -> OrcValue? {
        get { fields.first(where: { $0.key == key })?.value }
        set {
            if let index = fields.firstIndex(where: { $0.key == key }) {
                if let newValue { fields[index].value = newValue } else { fields.remove(at: index) }
            } else if let newValue {
                fields.append((key, newValue))
            }
        }
    }
}
