import Foundation

/// The scheme, host and port of an http(s) URL (RFC 6454): the only place a service's
/// calls, and its credentials, may go is the origin of its base_url.
struct URLOrigin: Hashable, Sendable, CustomStringConvertible {
    var scheme: String
    var host: String
    var port: Int

    /// Nil for a URL that is not absolute http(s), or that carries user info (which would
    /// send credentials of the URL's choosing).
    init?(_ text: String) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host?.lowercased(), !host.isEmpty, url.user == nil, url.password == nil
        else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = url.port ?? (scheme == "https" ? 443 : 80)
    }

    var description: String { "\(scheme)://\(host):\(port)" }
}
