/// A retailer on board (paper §3.1): a web site whose pages use WSE services. Its pages log in through
/// `auth.js` with its client id, which the token then carries as `azp`; services' access rules name it by `id`.
public struct RetailerAccount: Sendable, Hashable {
    public var id: String
    public var name: String
    /// The origins its pages are served from (`https://shop.example`), checked at login and at `/wse`.
    public var origins: [String]
    /// The OAuth-style client id its pages log in with (`auth.js`); random, not secret.
    public var clientID: String

    public init(id: String, name: String, origins: [String], clientID: String) {
        self.id = id
        self.name = name
        self.origins = origins
        self.clientID = clientID
    }
}
