import Hummingbird
import NIOCore

/// The request context of every HTTP route of a node. It carries the client's address, so that
/// the identity proxy can limit failed logins per address as well as per user name.
struct NodeRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
