import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation
import Hummingbird

/// The journey and relationship levels and the quarterly exports:
///
/// - `GET /v1/reports/journeys?agency&service&fiscalYear&quarter` (``JourneyReport``)
/// - `GET /v1/reports/relationships?fiscalYear&quarter[&agency]` (``RelationshipReport``)
/// - `GET /v1/exports/collections?agency&fiscalYear[&quarter]` (JSON) and `collections.csv`
/// - `GET /v1/exports/touchpoints.csv?agency&service&channel&fiscalYear&quarter` (Touchpoints upload) and
///   `touchpoints.ndjson` (the same rows as JSON lines), streamed with memory bounded by one batch
/// - `GET /v1/exports/legacy.csv?agency&fiscalYear[&quarter]` (A-11 v1 counts per collection)
///
/// A bad parameter is answered 400 and a collection under the minimum cell size 409 (`suppressed`, never
/// streamed), both with the one error body (``APIError``).
public struct LevelsAndExportsRoutes: RouteGroup {
    let journeys: JourneyQuery
    let relationships: RelationshipQuery
    let exports: ExportQuery
    let minimumCellSize: Int

    /// Reads the journey stage order file, if one is configured.
    /// - Throws: ``JourneyStageOrderError`` when the file is unusable.
    public init(configuration: ReportingConfiguration, client: PostgresClient) throws {
        let order = try configuration.journeyStagesFile.map { try JourneyStageOrder(contentsOf: URL(fileURLWithPath: $0)) }
        minimumCellSize = configuration.minimumCellSize
        journeys = JourneyQuery(
            client: client,
            minimumCellSize: configuration.minimumCellSize,
            fiscalYearStartMonth: configuration.fiscalYearStartMonth,
            stageOrder: order ?? JourneyStageOrder()
        )
        relationships = RelationshipQuery(
            client: client,
            minimumCellSize: configuration.minimumCellSize,
            fiscalYearStartMonth: configuration.fiscalYearStartMonth,
            trendQuarters: configuration.trendQuarters
        )
        exports = ExportQuery(client: client, minimumCellSize: configuration.minimumCellSize)
    }

    public func register(on router: Router<BasicRequestContext>) {
        router.get("v1/reports/journeys") { request, _ in
            let parameters = try QueryParameters(request)
            let report = try await journeys.report(
                agency: try parameters.requiredText("agency"),
                service: try parameters.requiredText("service"),
                quarter: try parameters.requiredQuarter()
            )
            return try Self.json(report)
        }
        router.get("v1/reports/relationships") { request, _ in
            let parameters = try QueryParameters(request)
            let quarter = try parameters.requiredQuarter()
            return try Self.json(try await relationships.report(agency: try parameters.text("agency"), quarter: quarter))
        }
        router.get("v1/exports/collections") { request, _ in
            let (agency, fiscalYear, quarter) = try Self.agencyYearQuarter(try QueryParameters(request))
            let collections = try await exports.collections(agency: agency, fiscalYear: fiscalYear, quarter: quarter)
            return try Self.json(CollectionsBody(minimumCellSize: minimumCellSize, collections: collections))
        }
        router.get("v1/exports/collections.csv") { request, _ in
            let (agency, fiscalYear, quarter) = try Self.agencyYearQuarter(try QueryParameters(request))
            let collections = try await exports.collections(agency: agency, fiscalYear: fiscalYear, quarter: quarter)
            return Self.csv([Collection.csvHeader] + collections.map(\.csvFields))
        }
        router.get("v1/exports/legacy.csv") { request, _ in
            let (agency, fiscalYear, quarter) = try Self.agencyYearQuarter(try QueryParameters(request))
            let collections = try await exports.legacyCollections(agency: agency, fiscalYear: fiscalYear, quarter: quarter)
            return Self.csv([LegacyCollection.csvHeader] + collections.map(\.csvFields))
        }
        router.get("v1/exports/touchpoints.csv") { request, _ in
            try await touchpoints(request, format: .csv)
        }
        router.get("v1/exports/touchpoints.ndjson") { request, _ in
            try await touchpoints(request, format: .ndjson)
        }
    }

    enum RowFormat {
        case csv, ndjson
    }

    private func touchpoints(_ request: Request, format: RowFormat) async throws -> Response {
        let parameters = try QueryParameters(request)
        let key = ExportQuery.CollectionKey(
            agency: try parameters.requiredText("agency"),
            service: try parameters.requiredText("service"),
            channel: try parameters.requiredValue("channel", as: Channel.self).rawValue,
            quarter: try parameters.requiredQuarter()
        )
        guard try await exports.touchpointsCount(key) >= minimumCellSize else {
            throw APIError(
                .conflict,
                code: .suppressed,
                reason: "the collection is suppressed: fewer A-11 v2 responses than the minimum cell size (\(minimumCellSize))"
            )
        }
        let exports = exports
        let body = ResponseBody { writer in
            var bytes: [UInt8] = []
            if format == .csv { CSVRecord.append(TouchpointsRow.header, to: &bytes) }
            try await writer.write(ByteBuffer(bytes: bytes))
            try await exports.forEachTouchpointsBatch(key) { rows in
                bytes.removeAll(keepingCapacity: true)
                for row in rows {
                    switch format {
                    case .csv: CSVRecord.append(row.csvFields, to: &bytes)
                    case .ndjson: row.appendJSON(to: &bytes)
                    }
                }
                try await writer.write(ByteBuffer(bytes: bytes))
            }
            try await writer.finish(nil)
        }
        let contentType = format == .csv ? "text/csv; charset=utf-8; header=present" : "application/x-ndjson"
        return Response(status: .ok, headers: [.contentType: contentType], body: body)
    }

    private static func agencyYearQuarter(_ parameters: QueryParameters) throws(APIError) -> (String, Int, Int?) {
        let agency = try parameters.requiredText("agency")
        let fiscalYear = try parameters.requiredInteger("fiscalYear", in: QueryParameters.fiscalYears)
        return (agency, fiscalYear, try parameters.quarter())
    }

    private static func json(_ value: some Encodable) throws -> Response {
        let data = try CivicJSON.makeEncoder().encode(value)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func csv(_ records: [[String]]) -> Response {
        var bytes: [UInt8] = []
        for record in records { CSVRecord.append(record, to: &bytes) }
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8; header=present"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}

/// The body of `GET /v1/exports/collections`.
public struct CollectionsBody: Codable, Sendable {
    /// Collections under this size are suppressed.
    public var minimumCellSize: Int
    /// The collections.
    public var collections: [Collection]
}
