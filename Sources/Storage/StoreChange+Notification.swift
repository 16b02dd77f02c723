import WSECore

extension StoreChange {
    /// The PostgreSQL channel every node LISTENs on.
    static let notificationChannel = "wse_change"

    /// The NOTIFY payload: `service:<id>`, `composition:<id>`, `subscriber:<name>`, `signing-keys`, `secret:<name>`, `provider:<id>`, `retailer:<id>`.
    var notificationPayload: String {
        switch self {
        case .service(let id): "service:\(id.rawValue)"
        case .composition(let id): "composition:\(id)"
        case .subscriber(let name): "subscriber:\(name)"
        case .signingKeys: "signing-keys"
        case .secret(let name): "secret:\(name)"
        case .provider(let id): "provider:\(id)"
        case .retailer(let id): "retailer:\(id)"
        case .everything: "everything"
        }
    }

    /// The change a payload names; a payload from a newer WSE that this one does not know asks for a full refresh.
    init(notificationPayload payload: String) {
        let (kind, name) =
            if let colon = payload.firstIndex(of: ":") {
                (payload[..<colon], String(payload[payload.index(after: colon)...]))
            } else {
                (payload[...], "")
            }
        self =
            switch kind {
            case "service": .service(ServiceID(name))
            case "composition": .composition(name)
            case "subscriber": .subscriber(name)
            case "signing-keys": .signingKeys
            case "secret": .secret(name)
            case "provider": .provider(name)
            case "retailer": .retailer(name)
            default: .everything
            }
    }
}
