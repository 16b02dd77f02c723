@testable import ConnectionManager
import Testing

/// The session's retailer comes from the token's `azp` (the retailer's client id), the Origin staying a second
/// gate; an Origin alone binds only a retailer configured without a client id.
@Suite struct RetailerBindingTests {
    private let policy = OriginPolicy(
        retailers: [
            .init(id: "shop", origins: ["https://shop.test"], clientID: "rc_shop"),
            .init(id: "news", origins: ["https://news.test"], clientID: "rc_news"),
            .init(id: "legacy", origins: ["https://legacy.test"]),
        ], allowMissingOrigin: true)

    @Test func theTokensClientIdNamesTheRetailer() {
        #expect(policy.retailer(authorizedParty: "rc_shop", origin: policy.decide(origin: "https://shop.test")) == "shop")
        #expect(policy.retailer(authorizedParty: "rc_shop", origin: policy.decide(origin: nil)) == "shop", "a native app without Origin")
    }

    @Test func anOriginAloneDoesNotActForARetailerWithAClientId() {
        #expect(policy.retailer(authorizedParty: nil, origin: policy.decide(origin: "https://shop.test")) == nil)
        #expect(policy.retailer(authorizedParty: nil, origin: policy.decide(origin: "https://legacy.test")) == "legacy")
    }

    @Test func anotherRetailersPageOrAnUnknownClientActsForNobody() {
        #expect(policy.retailer(authorizedParty: "rc_shop", origin: policy.decide(origin: "https://news.test")) == nil)
        #expect(policy.retailer(authorizedParty: "rc_gone", origin: policy.decide(origin: "https://shop.test")) == nil)
        #expect(policy.retailer(authorizedParty: "rc_shop", origin: .refused) == nil)
    }
}
