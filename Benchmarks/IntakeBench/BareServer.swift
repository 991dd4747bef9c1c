import Hummingbird
import Logging
import ServiceLifecycle

/// The baseline: a bare Hummingbird handler that reads a POST body and answers 202, on the same server
/// configuration the services use.
enum BareServer {
    static func make(logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let router = Router()
        router.post("bare") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 4 * 1024 * 1024)
            return Response(
                status: .accepted,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: "{\"received\":\(body.readableBytes)}"))
            )
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "bare"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}
