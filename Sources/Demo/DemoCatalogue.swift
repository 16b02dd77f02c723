import Foundation
import WSEApp
import WSECore

/// What the demo's services say of themselves in the catalogue: `DemoResources/catalogue.json` for the basic
/// services, and each composition's own `compositions/<id>.catalogue.json` beside its Orc source.
enum DemoCatalogue {
    /// The descriptions by service id.
    static func descriptions() throws(NodeStartupError) -> [String: ServiceDescription] {
        var descriptions: [String: ServiceDescription] = try decode([String: ServiceDescription].self, "catalogue", in: "DemoResources")
        descriptions["eab"] = try decode(ServiceDescription.self, "eab.catalogue", in: "DemoResources/compositions")
        return descriptions
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ name: String, in folder: String) throws(NodeStartupError) -> T {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: folder) else {
            throw NodeStartupError("the demo's \(folder)/\(name).json is missing from the installation")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
        } catch {
            throw NodeStartupError("the demo's \(folder)/\(name).json is not valid: \(error)")
        }
    }
}
