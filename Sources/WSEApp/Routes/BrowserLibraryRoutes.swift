import Hummingbird
import WebAssets

extension Router {
    /// Serves `Public/js` under `/js` (`/js/wse.js`, `/js/modules/sip.js`, …) with a short cache lifetime.
    func addBrowserLibraryRoutes() {
        add(middleware: FileMiddleware(
            WebAssets.path(of: .browserLibraries), urlBasePath: "/js",
            cacheControl: .init([(.textJavascript, [.maxAge(60)])])))
    }

    /// The operator's admin page (`Public/admin`) at `/admin/` (it asks for the admin token and reads `/admin/v1/overview`).
    func addAdminPageRoutes() {
        add(middleware: FileMiddleware(WebAssets.path(of: .adminPage), urlBasePath: "/admin", searchForIndexHtml: true))
        add(middleware: FileMiddleware(WebAssets.path(of: .cataloguePage), urlBasePath: "/catalogue", searchForIndexHtml: true))
    }
}
