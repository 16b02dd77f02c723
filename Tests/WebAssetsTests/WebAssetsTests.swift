import Foundation
import Testing
import WebAssets

@Suite struct WebAssetsTests {
    /// What a node and the demo serve from each folder; a file missing from the installation would be a 404.
    @Test(arguments: [
        (WebAssets.Folder.browserLibraries, ["wse.js", "modules/sip.js"]),
        (.adminPage, ["index.html", "admin.js", "admin.css"]),
        (.retailerSite, ["index.html", "eab.js", "eab-logic.js", "eab.css"]),
        (.apiDescription, ["openapi.yaml"]),
        (.cataloguePage, ["index.html", "catalogue.js"]),
    ])
    func everyShippedFileIsFound(folder: WebAssets.Folder, files: [String]) {
        let path = WebAssets.path(of: folder)
        for file in files {
            #expect(FileManager.default.fileExists(atPath: path + "/" + file), "\(file) in \(path)")
        }
    }

    @Test func theFoldersAreDistinct() {
        #expect(Set(WebAssets.Folder.allCases.map(WebAssets.path(of:))).count == WebAssets.Folder.allCases.count)
    }
}
