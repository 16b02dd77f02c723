import Foundation
import Hummingbird

/// The browser libraries (`/js/wse.js`, `/js/modules/<name>.js`) and pages shipped inside the
/// WSEApp target's resource folders.
enum ShippedFiles {
    /// A shipped resource folder on disk: `Public` (browser libraries), `AdminPage`, `RetailerSite`.
    static func folder(_ name: String) -> String {
        Bundle.module.resourceURL!.appendingPathComponent(name).path
    }
}

extension Router {
    /// Serves `Public/` under `/js` (`/js/wse.js`, `/js/modules/sip.js`, …) with a short cache lifetime.
    func addBrowserLibraryRoutes() {
        add(middleware: FileMiddleware(
            ShippedFiles.folder("Public"), urlBasePath: "/js",
            cacheControl: .init([(.textJavascript, [.maxAge(60)])])))
    }

    /// The operator's admin page at `/admin/` (it asks for the admin token and reads `/admin/v1/overview`).
    func addAdminPageRoutes() {
        add(middleware: FileMiddleware(ShippedFiles.folder("AdminPage"), urlBasePath: "/admin", searchForIndexHtml: true))
    }
}
