import Foundation
import Hummingbird
import Logging
import Prometheus

/// Builds a service's HTTP endpoint: `/health` (the process is alive: 503 once a stage gave up healing), `/ready` (its dependencies work),
/// `/metrics` (Prometheus text format, or OpenMetrics with exemplars for a scraper that asks for it), plus the service's own routes.
package enum OperationsServer {
    /// Creates the Hummingbird application; add it to the service group last so it stops first.
    /// - Parameters:
    ///   - configuration: Host and port come from here.
    ///   - readiness: What `/ready` reports.
    ///   - registry: The Prometheus registry `/metrics` renders; `nil` serves an empty page (tests).
    ///   - logger: The service logger.
    ///   - onServerRunning: Called with the bound port once listening (port 0 picks a free one).
    ///   - routes: The service's own route groups.
    package static func make(
        configuration: RuntimeConfiguration,
        readiness: ReadinessState,
        registry: PrometheusCollectorRegistry?,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        routes: [any RouteGroup<BasicRequestContext>] = []
    ) -> some ApplicationProtocol {
        make(
            configuration: configuration,
            readiness: readiness,
            registry: registry,
            logger: logger,
            onServerRunning: onServerRunning,
            context: BasicRequestContext.self,
            routes: routes
        )
    }

    /// Creates the Hummingbird application with a service-specific request context (for example one that
    /// exposes the client address); otherwise the same as the `BasicRequestContext` variant.
    package static func make<Context: RequestContext>(
        configuration: RuntimeConfiguration,
        readiness: ReadinessState,
        registry: PrometheusCollectorRegistry?,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        context: Context.Type,
        routes: [any RouteGroup<Context>]
    ) -> some ApplicationProtocol where Context.Source == ApplicationRequestContextSource {
        let router = Router(context: Context.self)
        router.add(middleware: APIErrorMiddleware(logger: logger))
        router.get("health") { _, _ -> Response in
            // The liveness check: fails only when a component declared itself dead (a stage that rebuilt its Kafka
            // clients and still makes no progress), so that the orchestrator restarts the process.
            let dead = readiness.deadComponents
            guard dead.isEmpty else {
                let body = HealthBody(status: "dead", service: configuration.serviceName, components: dead)
                let data = (try? JSONEncoder().encode(body)) ?? Data("{}".utf8)
                return Response(
                    status: .serviceUnavailable,
                    headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(bytes: data))
                )
            }
            return jsonResponse(.ok, ["status": "ok", "service": configuration.serviceName])
        }
        router.get("ready") { _, _ -> Response in
            let snapshot = readiness.snapshot
            let body = ReadyBody(ready: readiness.isReady, components: snapshot)
            let data = (try? JSONEncoder().encode(body)) ?? Data("{}".utf8)
            return Response(
                status: body.ready ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: data))
            )
        }
        router.get("metrics") { request, _ -> Response in
            let page = MetricsExposition.render(registry, accept: request.headers[.accept])
            return Response(
                status: .ok,
                headers: [.contentType: page.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: page.body))
            )
        }
        for group in routes { group.register(on: router) }
        return Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.httpHost, port: configuration.httpPort),
                serverName: configuration.serviceName
            ),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.httpPort
                logger.info("http endpoint listening", metadata: ["http.port": "\(port)"])
                await onServerRunning(port)
            },
            logger: logger
        )
    }

    private struct HealthBody: Encodable {
        var status: String
        var service: String
        var components: [String: ReadinessState.Component]
    }

    private struct ReadyBody: Encodable {
        var ready: Bool
        var components: [String: ReadinessState.Component]
    }

    /// A small JSON response (the operations routes' own bodies; errors are ``APIError``).
    package static func jsonResponse(_ status: HTTPResponse.Status, _ body: [String: String]) -> Response {
        let data = (try? JSONEncoder().encode(body)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
