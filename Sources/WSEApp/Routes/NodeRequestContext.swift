import Hummingbird
import NIOCore

/// The request context of every HTTP route of a node. It carries the socket peer's address, so that
/// the identity proxy can count failed logins per client (docs/IDENTITY.md, "Login limits").
struct NodeRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
