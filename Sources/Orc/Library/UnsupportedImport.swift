import Foundation

/// `import site X = "…"` of a JVM class we do not provide: calling it is an error.
final class UnsupportedImport: Site {
    let className: String

    init(name: String, className: String) {
        self.className = className
        super.init(name: name)
    }

    override func call(_ arguments: [OrcValue], _ call: SiteCall) -> SiteOutcome {
        .error(OrcRuntimeError(kind: "orc.error.runtime.JavaException",
                               message: "java.lang.ClassNotFoundException: \(className) (JVM sites are not available)"))
    }
}
