import Foundation
import Hummingbird

/// The browser libraries (`/js/wse.js`, `/js/modules/<name>.js`) and pages shipped inside the
/// WSEApp target's `Public` resource folder.
enum PublicFiles {
    /// The folder on disk that holds the shipped files.
    static var folder: String {
        Bundle.module.resourceURL!.appendingPathComponent("Public").path
    }
}

extension Router {
    /// Serves `Public/` under `/js` (`/js/wse.js`, `/js/modules/sip.js`, …) with a short cache lifetime.
    func addBrowserLibraryRoutes() {
        add(middleware: FileMiddleware(
            PublicFiles.folder, urlBasePath: "/js",
            cacheControl: .init([(.textJavascript, [.maxAge(60)])])))
    }
}
