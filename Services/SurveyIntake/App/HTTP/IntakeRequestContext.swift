import Hummingbird
import NIOCore

/// survey-intake's request context: Hummingbird's basic context plus the client's address, from which the
/// `submitter` of an anonymous submission is derived.
package struct IntakeRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's per-request storage.
    package var coreContext: CoreRequestContextStorage
    /// The peer address of the connection.
    package let remoteAddress: SocketAddress?

    /// Creates the context for a request on `source.channel`.
    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
