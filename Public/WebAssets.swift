import Foundation

/// The browser-side files WSE ships, found on disk wherever the package is installed:
/// `js/` (`wse.js` and `modules/sip.js`, served by a node under `/js`), `admin/` (the operator's
/// admin page, served by a node under `/admin/`), `retailer/` (the demo retailer's Enhanced
/// Address Book page, served by `wse demo`'s retailer site), `openapi/` (the node's OpenAPI
/// document, served at `/openapi.yaml`) and `catalogue/` (the service catalogue's page, served by a node
/// under `/catalogue/`).
///
/// The files are plain, dependency-free JavaScript, HTML and CSS; this target only locates them.
public enum WebAssets {
    /// One folder of shipped browser files.
    public enum Folder: String, Sendable, CaseIterable {
        case browserLibraries = "js"
        case adminPage = "admin"
        case retailerSite = "retailer"
        /// `openapi.yaml`: the OpenAPI description of a node's HTTP endpoints, served at `/openapi.yaml`.
        case apiDescription = "openapi"
        case cataloguePage = "catalogue"
    }

    /// The folder's path on disk, for a static-file middleware.
    public static func path(of folder: Folder) -> String {
        Bundle.module.resourceURL!.appendingPathComponent(folder.rawValue).path
    }
}
