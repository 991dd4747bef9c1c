import CivicModels
import CivicRuntime
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// Assembles reporting: prepares topics and its schema, then returns its components in dependency order
/// (producer for rejections, stream processor, HTTP endpoint with the report API).
public func buildReporting(
    configuration: ReportingConfiguration,
    registry: PrometheusCollectorRegistry?,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> [any Service] {
    let stage = try await PipelineStage.prepare(configuration: configuration.runtime, migrations: ReportingStore.migrations, logger: logger)
    let processor = try stage.processor(
        name: "reporting",
        topics: [CivicTopic.scored, CivicTopic.operations],
        handler: ReportingHandler(
            store: ReportingStore(client: stage.postgres),
            fiscalYearStartMonth: configuration.fiscalYearStartMonth,
            logger: logger
        )
    )
    let query = ReportQuery(client: stage.postgres, minimumCellSize: configuration.minimumCellSize)
    let levelsAndExports = try LevelsAndExportsRoutes(configuration: configuration, client: stage.postgres)
    return stage.services([processor], registry: registry, onServerRunning: onServerRunning) { router in
        levelsAndExports.register(on: router)
        router.get("v1/reports") { request, _ -> Response in
            let parameters = request.uri.queryParameters
            var filter = ReportQuery.Filter()
            filter.agency = parameters["agency"].map(String.init)
            filter.fiscalYear = parameters["fiscalYear"].flatMap { Int(String($0)) }
            filter.quarter = parameters["quarter"].flatMap { Int(String($0)) }
            let groupBy = parameters["groupBy"].map { $0.split(separator: ",").map(String.init) } ?? []
            filter.byService = groupBy.contains("service")
            filter.byChannel = groupBy.contains("channel")
            for (name, value) in [("fiscalYear", parameters["fiscalYear"]), ("quarter", parameters["quarter"])] {
                if let value, Int(String(value)) == nil {
                    return OperationsServer.jsonResponse(.badRequest, ["error": "\(name) must be a number"])
                }
            }
            let reports = try await query.reports(filter)
            let body = ReportsBody(minimumCellSize: configuration.minimumCellSize, reports: reports)
            let data = try CivicJSON.makeEncoder().encode(body)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}

/// The body of `GET /v1/reports`.
public struct ReportsBody: Codable, Sendable {
    /// Cells under this size are suppressed.
    public var minimumCellSize: Int
    /// The rows.
    public var reports: [QuarterlyReport]
}
