import CivicInsights
import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation
import Hummingbird
import ReportingCore
import ReportingDashboard
import ReportingExports

/// The journey and relationship levels and the quarterly exports:
///
/// - `GET /v1/reports/journeys?agency&service&fiscalYear&quarter` (``JourneyReport``)
/// - `GET /v1/reports/relationships?fiscalYear&quarter[&agency]` (``RelationshipReport``)
/// - `GET /v1/exports/collections?agency&fiscalYear[&quarter]` (JSON) and `collections.csv`
/// - `GET /v1/exports/touchpoints.csv?agency&service&channel&fiscalYear&quarter` (Touchpoints upload) and
///   `touchpoints.ndjson` (the same rows as JSON lines), streamed with memory bounded by one batch
/// - `GET /v1/exports/legacy.csv?agency&fiscalYear[&quarter]` (A-11 v1 counts per collection)
/// - `GET /v1/exports/summary.html?agency&fiscalYear&quarter` (the one-page summary) and `package.zip` (every
///   file of the quarterly package, as `reporting export` writes them)
///
/// Each needs a role in the agency asked for (403 otherwise): the viewer role for the levels (published
/// figures, suppressed), the analyst role for the exports, which are the agency's own upload package to OMB:
/// every collection's volumes, legacy counts and Touchpoints rows, whatever its size; the relationship level
/// without `agency` reads across agencies and needs the cross-agency (`*`) viewer role. Every export is
/// recorded in the audit trail (who, the filter, the row count) before its rows leave.
///
/// A bad parameter is answered 400 with the one error body (``APIError``).
package struct LevelsAndExportsRoutes: RouteGroup {
    package typealias Context = ReportingRequestContext

    package let journeys: JourneyQuery
    let relationships: RelationshipQuery
    package let exports: ExportQuery
    package let audit: AuditTrail
    let minimumCellSize: Int
    let fiscalYearStartMonth: Int
    let client: PostgresClient
    let templates: DashboardTemplates
    /// The bounds of `package.zip`.
    let packageLimits: PackageLimits
    /// The package builds in progress.
    let packageBuilds: PackageBuilds
    /// The Touchpoints exports being streamed.
    let exportStreams: ConcurrencyLimit
    /// The key-driver settings of the summary (`CIVIC_REPORTING_DRIVERS_*`).
    let driverSettings: DriverSettings
    /// The themes and key-driver analyses in progress (`summary.html` computes both).
    let insightAnalyses: ConcurrencyLimit

    /// Loads the templates.
    /// - Parameters:
    ///   - minimumCellSize: Cells under this size are suppressed (`CIVIC_REPORTING_MIN_CELL`).
    ///   - fiscalYearStartMonth: The month the fiscal year starts (`CIVIC_REPORTING_FY_START_MONTH`).
    ///   - trendQuarters: Quarters in the relationship trust trend window (`CIVIC_REPORTING_TREND_QUARTERS`).
    ///   - stageOrder: The journey stage order (`CIVIC_REPORTING_JOURNEY_STAGES_FILE`).
    ///   - packageLimits: The bounds of `package.zip` (``PackageLimits``).
    ///   - driverSettings: The key-driver settings of the quarterly summary (`CIVIC_REPORTING_DRIVERS_*`).
    ///   - insightAnalyses: The themes and key-driver analyses computed at once (`CIVIC_REPORTING_INSIGHT_ANALYSES`).
    package init(
        client: PostgresClient,
        minimumCellSize: Int,
        fiscalYearStartMonth: Int,
        trendQuarters: Int,
        stageOrder: JourneyStageOrder,
        packageLimits: PackageLimits = PackageLimits(),
        driverSettings: DriverSettings = DriverSettings(),
        insightAnalyses: ConcurrencyLimit = ConcurrencyLimit(limit: 1)
    ) throws {
        self.insightAnalyses = insightAnalyses
        self.packageLimits = packageLimits
        self.driverSettings = driverSettings
        packageBuilds = PackageBuilds(limit: packageLimits.concurrentBuilds)
        exportStreams = ConcurrencyLimit(limit: packageLimits.concurrentStreams)
        self.minimumCellSize = minimumCellSize
        self.fiscalYearStartMonth = fiscalYearStartMonth
        self.client = client
        templates = try DashboardTemplates()
        journeys = JourneyQuery(
            client: client,
            minimumCellSize: minimumCellSize,
            fiscalYearStartMonth: fiscalYearStartMonth,
            stageOrder: stageOrder
        )
        relationships = RelationshipQuery(
            client: client,
            minimumCellSize: minimumCellSize,
            fiscalYearStartMonth: fiscalYearStartMonth,
            trendQuarters: trendQuarters
        )
        exports = ExportQuery(client: client, minimumCellSize: minimumCellSize)
        audit = AuditTrail(client: client)
    }

    package func register(on router: some RouterMethods<ReportingRequestContext>) {
        router.get("v1/reports/journeys") { request, context in
            let principal = try context.requirePrincipal()
            let parameters = try QueryParameters(request)
            let agency = try parameters.requiredText("agency")
            let service = try parameters.requiredText("service")
            let quarter = try parameters.requiredQuarter()
            try principal.require(.viewer, in: agency)
            return try Response.json(try await journeys.report(agency: agency, service: service, quarter: quarter))
        }
        router.get("v1/reports/relationships") { request, context in
            let principal = try context.requirePrincipal()
            let parameters = try QueryParameters(request)
            let quarter = try parameters.requiredQuarter()
            let agency = try parameters.text("agency")
            if let agency { try principal.require(.viewer, in: agency) } else { try principal.requireAllAgencies(.viewer) }
            return try Response.json(try await relationships.report(agency: agency, quarter: quarter))
        }
        router.get("v1/exports/collections") { request, context in
            let parameters = try QueryParameters(request, options: .init(accepted: Self.yearParameters))
            let (agency, fiscalYear, quarter) = try Self.agencyYearQuarter(parameters)
            let requestId = try authorizeExport(request, context, agency: agency, role: .analyst)
            let collections = try await exports.collections(agency: agency, fiscalYear: fiscalYear, quarter: quarter)
            try await record(request, context, parameters, .export, agency: agency, rows: collections.count, requestId: requestId)
            return try Response.json(CollectionsBody(minimumCellSize: minimumCellSize, collections: collections)).with(requestId: requestId)
        }
        router.get("v1/exports/collections.csv") { request, context in
            let parameters = try QueryParameters(request, options: .init(accepted: Self.yearParameters))
            let (agency, fiscalYear, quarter) = try Self.agencyYearQuarter(parameters)
            let requestId = try authorizeExport(request, context, agency: agency, role: .analyst)
            let collections = try await exports.collections(agency: agency, fiscalYear: fiscalYear, quarter: quarter)
            try await record(request, context, parameters, .export, agency: agency, rows: collections.count, requestId: requestId)
            return Self.csv(header: Collection.csvHeader, collections.map(\.csvFields)).with(requestId: requestId)
        }
        router.get("v1/exports/legacy.csv") { request, context in
            let parameters = try QueryParameters(request, options: .init(accepted: Self.yearParameters))
            let (agency, fiscalYear, quarter) = try Self.agencyYearQuarter(parameters)
            let requestId = try authorizeExport(request, context, agency: agency, role: .analyst)
            let collections = try await exports.legacyCollections(agency: agency, fiscalYear: fiscalYear, quarter: quarter)
            try await record(request, context, parameters, .export, agency: agency, rows: collections.count, requestId: requestId)
            return Self.csv(header: LegacyCollection.csvHeader, collections.map(\.csvFields)).with(requestId: requestId)
        }
        router.get("v1/exports/summary.html") { request, context in
            let parameters = try QueryParameters(request, options: .init(accepted: Self.yearParameters))
            let agency = try parameters.requiredText("agency")
            let quarter = try parameters.requiredQuarter()
            let requestId = try authorizeExport(request, context, agency: agency, role: .analyst)
            let analysis = try insightAnalyses.startAnalysis()
            defer { analysis.finish() }
            let base = "agency=\(agency.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&fiscalYear=\(quarter.fiscalYear)"
            let page = try await QuarterlySummary.make(
                client: client,
                minimumCellSize: minimumCellSize,
                fiscalYearStartMonth: fiscalYearStartMonth,
                agency: agency,
                quarter: quarter,
                files: [
                    "/v1/exports/collections.csv?\(base)&quarter=\(quarter.quarter)", "/v1/exports/legacy.csv?\(base)&quarter=\(quarter.quarter)",
                    "/v1/exports/touchpoints.csv?\(base)&quarter=\(quarter.quarter)&service=…&channel=… (one per collection)",
                    "/v1/exports/package.zip?\(base)&quarter=\(quarter.quarter) (all of them and this page, zipped)",
                ],
                driverSettings: driverSettings
            )
            try await record(request, context, parameters, .export, agency: agency, rows: page.collections.count, requestId: requestId)
            return Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: templates.render(summary: page)))
            ).with(requestId: requestId)
        }
        router.get("v1/exports/package.zip") { request, context in
            try await package(request, context)
        }
        router.get("v1/exports/touchpoints.csv") { request, context in
            try await touchpoints(request, context, format: .csv)
        }
        router.get("v1/exports/touchpoints.ndjson") { request, context in
            try await touchpoints(request, context, format: .ndjson)
        }
    }

    /// Checks the caller holds `role` in `agency`; returns the request id the answer and its audit entry carry.
    private func authorizeExport(_ request: Request, _ context: ReportingRequestContext, agency: String, role: AccessRole) throws(APIError) -> String
    {
        try context.requirePrincipal().require(role, in: agency)
        return HTTPRequestID.make()
    }

    /// The parameters of the exports chosen by agency, fiscal year and (optionally) quarter.
    static let yearParameters = ["agency", "fiscalYear", "quarter"]

    /// Appends the export's audit entry, whose filter is `parameters` exactly as the export read them; the
    /// export is not answered when that fails.
    private func record(
        _ request: Request,
        _ context: ReportingRequestContext,
        _ parameters: QueryParameters,
        _ action: AuditTrail.Action,
        agency: String,
        rows: Int,
        requestId: String
    ) async throws {
        let filter = parameters.given
        try await audit.record(
            AuditTrail.Entry(
                actor: try context.requirePrincipal().actor,
                action: action,
                agency: agency,
                target: request.uri.path,
                filter: filter,
                rows: rows,
                requestId: requestId
            )
        )
    }

    enum RowFormat {
        case csv, ndjson
    }

    private func touchpoints(_ request: Request, _ context: ReportingRequestContext, format: RowFormat) async throws -> Response {
        let parameters = try QueryParameters(request, options: .init(accepted: ["agency", "service", "channel", "fiscalYear", "quarter"]))
        let key = ExportQuery.CollectionKey(
            agency: try parameters.requiredText("agency"),
            service: try parameters.requiredText("service"),
            channel: try parameters.requiredValue("channel", as: Channel.self).rawValue,
            quarter: try parameters.requiredQuarter()
        )
        let requestId = try authorizeExport(request, context, agency: key.agency, role: .analyst)
        guard let lease = exportStreams.start() else {
            throw APIError(
                .tooManyRequests,
                code: .exportsInProgress,
                reason: "\(exportStreams.limit) Touchpoints exports are being streamed; try again when one is done",
                retryAfterSeconds: Self.packageRetryAfterSeconds
            )
        }
        let count = try await exports.touchpointsCount(key)
        // The entry is written before any row leaves; the count is the collection's at that moment.
        try await record(request, context, parameters, .respondentExport, agency: key.agency, rows: count, requestId: requestId)
        let exports = exports
        let body = ResponseBody { writer in
            defer { lease.finish() }
            var bytes: [UInt8] = []
            if format == .csv { CSVRecord.append(header: TouchpointsRow.header, to: &bytes) }
            try await writer.write(ByteBuffer(bytes: bytes))
            try await exports.forEachTouchpointsBatch(key) { rows in
                bytes.removeAll(keepingCapacity: true)
                switch format {
                case .csv: TouchpointsRow.appendCSV(rows, to: &bytes)
                case .ndjson: TouchpointsRow.appendJSON(rows, to: &bytes)
                }
                try await writer.write(ByteBuffer(bytes: bytes))
            }
            try await writer.finish(nil)
        }
        let contentType = format == .csv ? "text/csv; charset=utf-8; header=present" : "application/x-ndjson"
        return Response(status: .ok, headers: [.contentType: contentType], body: body).with(requestId: requestId)
    }

    /// The whole quarterly package as one zip archive (``QuarterlyPackage``), bounded by ``PackageLimits``: one
    /// build per agency and `concurrentBuilds` in all at once (429 with `Retry-After` otherwise), and at most
    /// `maximumBytes` of files (413, answered before any byte of the archive: the package is built whole before
    /// its headers go, so a client never receives a truncated zip as a success). Built in a private work
    /// directory (0700, files 0600), zipped, streamed from disk with its length, and deleted once sent, on every
    /// error, and when the response is dropped unsent (``PackageBuildLease``).
    private func package(_ request: Request, _ context: ReportingRequestContext) async throws -> Response {
        let parameters = try QueryParameters(request, options: .init(accepted: Self.yearParameters))
        let agency = try parameters.requiredText("agency")
        let quarter = try parameters.requiredQuarter()
        let requestId = try authorizeExport(request, context, agency: agency, role: .analyst)
        let lease: PackageBuildLease
        do throws(PackageBuilds.Refusal) {
            lease = try packageBuilds.start(
                agency: agency,
                workDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("civic-package-\(UUID().uuidString)")
            )
        } catch .agencyBusy {
            throw APIError(
                .tooManyRequests,
                code: .packageInProgress,
                reason: "a quarterly package for \(agency) is being built; try again when it is done",
                retryAfterSeconds: Self.packageRetryAfterSeconds
            )
        } catch .full {
            throw APIError(
                .tooManyRequests,
                code: .packageInProgress,
                reason: "\(packageBuilds.limit) quarterly packages are being built; try again when one is done",
                retryAfterSeconds: Self.packageRetryAfterSeconds
            )
        }
        let archive = lease.workDirectory.appendingPathComponent(QuarterlyPackage.archiveName(agency: agency, quarter: quarter))
        let body: ResponseBody
        let length: Int?
        do {
            try lease.createWorkDirectory()
            let files = lease.workDirectory.appendingPathComponent("files")
            let summary = try await QuarterlyPackage(
                client: client,
                minimumCellSize: minimumCellSize,
                fiscalYearStartMonth: fiscalYearStartMonth,
                driverSettings: driverSettings
            )
            .write(agency: agency, quarter: quarter, into: files, byteLimit: packageLimits.maximumBytes)
            try QuarterlyPackage.zip(summary, in: files, to: archive)
            try FileManager.default.removeItem(at: files)
            length = (try FileManager.default.attributesOfItem(atPath: archive.path)[.size] as? NSNumber)?.intValue
            // The entry is written before any byte leaves: respondent-level rows (the Touchpoints uploads) are in it.
            try await record(request, context, parameters, .respondentExport, agency: agency, rows: summary.rows, requestId: requestId)
            body = try await FileIO().loadFile(path: archive.path, context: context)
        } catch let error as PackageTooLargeError {
            lease.finish()
            throw APIError(
                .contentTooLarge,
                code: .packageTooLarge,
                reason: "the quarterly package of \(agency) holds more than \(error.limit) bytes (CIVIC_REPORTING_PACKAGE_MAX_BYTES); "
                    + "export its files one by one from the /v1/exports routes, or run reporting export"
            )
        } catch {
            lease.finish()
            throw error
        }
        // The lease goes with the body: released when the archive is sent, or when the response is dropped unsent.
        let streamed = ResponseBody(contentLength: length) { writer in
            defer { lease.finish() }
            try await body.write(writer)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/zip",
                .contentDisposition: "attachment; filename=\"\(archive.lastPathComponent)\"",
            ],
            body: streamed
        ).with(requestId: requestId)
    }

    /// The `Retry-After` of a package refused while others are built.
    static let packageRetryAfterSeconds = 30

    private static func agencyYearQuarter(_ parameters: QueryParameters) throws(APIError) -> (String, Int, Int?) {
        let agency = try parameters.requiredText("agency")
        let fiscalYear = try parameters.requiredInteger("fiscalYear", in: QueryParameters.fiscalYears)
        return (agency, fiscalYear, try parameters.quarter())
    }

    private static func csv(header: [String], _ records: [[CSVCell]]) -> Response {
        var bytes: [UInt8] = []
        CSVRecord.append(header: header, to: &bytes)
        for record in records { CSVRecord.append(record, to: &bytes) }
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8; header=present"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}

extension APIError.Code {
    /// A quarterly package is refused: its agency's is being built, or as many as allowed are (429).
    static let packageInProgress: APIError.Code = "package_in_progress"
    /// As many Touchpoints exports as allowed are being streamed (429).
    static let exportsInProgress: APIError.Code = "exports_in_progress"
    /// As many themes and key-driver analyses as allowed are being computed (429).
    static let insightsInProgress: APIError.Code = "insights_in_progress"
    /// A quarterly package is larger than `CIVIC_REPORTING_PACKAGE_MAX_BYTES` (413).
    static let packageTooLarge: APIError.Code = "package_too_large"
}

/// The body of `GET /v1/exports/collections`.
struct CollectionsBody: Codable, Sendable {
    /// Collections under this size are suppressed.
    var minimumCellSize: Int
    /// The collections.
    var collections: [Collection]
}
