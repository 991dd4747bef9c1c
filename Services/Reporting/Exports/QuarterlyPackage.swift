import CivicInsights
import CivicPostgres
import Foundation
import ReportingCore
import ReportingDashboard
import ZIPFoundation

/// What `reporting export` wrote.
package struct QuarterlyExportSummary: Sendable, CustomStringConvertible {
    /// Files written, by name.
    package var files: [String] = []
    /// Collections under the minimum cell size (`service/channel`): their uploads are written all the same
    /// (the agency's own data to OMB), while their figures are withheld from the published reports.
    package var suppressed: [String] = []
    /// Respondents in the package's collections (for the audit trail).
    package var rows = 0
    /// Bytes written, every file together (before any compression).
    package var bytes = 0

    package var description: String {
        "\(files.count) files written; \(suppressed.count) collections under the minimum cell size (uploads written, figures not published)"
    }
}

/// The quarterly package an HISP submits for one agency and quarter: `<AGENCY>-FY<year>Q<quarter>-collections.csv`
/// (every collection with its volumes, small ones flagged), `...-transaction-points.csv` (the same volumes per
/// transaction point, Touchpoints' collection details), `...-legacy.csv` (A-11 v1 counts), one Touchpoints
/// upload per collection whatever its size, `<AGENCY>-<service>-<channel>-FY<year>Q<quarter>.csv`, streamed in
/// batches so memory does not grow with the rows, and `summary.html` (``QuarterlySummary``: headline figures,
/// intervals, the change since the previous quarter, the collections' states). The same queries and rules as
/// the `/v1/exports` endpoints (the analyst's upload package); written by `reporting export` and zipped by
/// `GET /v1/exports/package.zip`.
package struct QuarterlyPackage: Sendable {
    let client: PostgresClient
    /// Cells under this size are suppressed (`CIVIC_REPORTING_MIN_CELL`).
    let minimumCellSize: Int
    /// The month the fiscal year starts (`CIVIC_REPORTING_FY_START_MONTH`).
    let fiscalYearStartMonth: Int

    /// The key-driver settings of the summary's drivers (`CIVIC_REPORTING_DRIVERS_*`).
    let driverSettings: DriverSettings

    package init(client: PostgresClient, minimumCellSize: Int, fiscalYearStartMonth: Int, driverSettings: DriverSettings = DriverSettings()) {
        self.driverSettings = driverSettings
        self.client = client
        self.minimumCellSize = minimumCellSize
        self.fiscalYearStartMonth = fiscalYearStartMonth
    }

    /// Writes every file of the package into `directory` (created if missing), each file readable by its owner
    /// only (0600: the Touchpoints uploads are respondent-level).
    /// - Parameter byteLimit: The most bytes the package's files may hold together; the write stops with
    ///   ``PackageTooLargeError`` before the byte that would pass it (the files written so far are left for the
    ///   caller to remove). `nil`: no limit (`reporting export`).
    package func write(
        agency: String,
        quarter: FiscalQuarter,
        into directory: URL,
        byteLimit: Int? = nil
    ) async throws -> QuarterlyExportSummary {
        let exports = ExportQuery(client: client, minimumCellSize: minimumCellSize)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let period = "FY\(quarter.fiscalYear)Q\(quarter.quarter)"
        var summary = QuarterlyExportSummary()
        let budget = PackageByteBudget(limit: byteLimit)

        func write(_ name: String, _ body: (PackageFileWriter) async throws -> Void) async throws {
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw ExportFileError(path: url.path)
            }
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try await body(PackageFileWriter(handle: handle, budget: budget))
            summary.files.append(name)
        }
        func csv(header: [String]? = nil, _ records: [[CSVCell]]) -> Data {
            var bytes: [UInt8] = []
            if let header { CSVRecord.append(header: header, to: &bytes) }
            for record in records { CSVRecord.append(record, to: &bytes) }
            return Data(bytes)
        }

        let collections = try await exports.collections(agency: agency, fiscalYear: quarter.fiscalYear, quarter: quarter.quarter)
        try await write("\(fileSafe(agency))-\(period)-collections.csv") { file in
            try file.write(contentsOf: csv(header: Collection.csvHeader, collections.map(\.csvFields)))
        }
        try await write("\(fileSafe(agency))-\(period)-transaction-points.csv") { file in
            let records = collections.flatMap { collection in (collection.transactionPoints ?? []).map { $0.csvFields(of: collection) } }
            try file.write(contentsOf: csv(header: TransactionPoint.csvHeader, records))
        }
        let legacy = try await exports.legacyCollections(agency: agency, fiscalYear: quarter.fiscalYear, quarter: quarter.quarter)
        try await write("\(fileSafe(agency))-\(period)-legacy.csv") { file in
            try file.write(contentsOf: csv(header: LegacyCollection.csvHeader, legacy.map(\.csvFields)))
        }
        for collection in collections {
            let key = ExportQuery.CollectionKey(
                agency: agency,
                service: collection.service,
                channel: collection.channel,
                quarter: FiscalQuarter(fiscalYear: collection.fiscalYear, quarter: collection.quarter)
            )
            // The upload is the agency's own data to OMB: written whatever the collection's size, for every
            // collection with A-11 v2 responses (a collection of v1 responses alone has no Touchpoints rows).
            if collection.suppressed { summary.suppressed.append("\(collection.service)/\(collection.channel)") }
            summary.rows += collection.respondents ?? 0
            guard try await exports.touchpointsCount(key) > 0 else { continue }
            try await write("\(fileSafe(agency))-\(fileSafe(collection.service))-\(fileSafe(collection.channel))-\(period).csv") { file in
                try file.write(contentsOf: csv(header: TouchpointsRow.header, []))
                var bytes: [UInt8] = []
                try await exports.forEachTouchpointsBatch(key) { rows in
                    bytes.removeAll(keepingCapacity: true)
                    TouchpointsRow.appendCSV(rows, to: &bytes)
                    try file.write(contentsOf: Data(bytes))
                }
            }
        }
        // The one-page summary of the quarter, listing every file of the package.
        let page = try await QuarterlySummary.make(
            client: client,
            minimumCellSize: minimumCellSize,
            fiscalYearStartMonth: fiscalYearStartMonth,
            agency: agency,
            quarter: quarter,
            files: summary.files + [QuarterlySummary.fileName],
            driverSettings: driverSettings
        )
        let html = try DashboardTemplates().render(summary: page)
        try await write(QuarterlySummary.fileName) { file in try file.write(contentsOf: Data(html.utf8)) }
        summary.bytes = budget.written
        return summary
    }

    /// Zips the files `summary` lists from `directory` into `archive` (deflated, in the order written), readable
    /// by its owner only (0600).
    package static func zip(_ summary: QuarterlyExportSummary, in directory: URL, to archive: URL) throws {
        let zip = try Archive(url: archive, accessMode: .create)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: archive.path)
        for name in summary.files {
            try zip.addEntry(with: name, relativeTo: directory, compressionMethod: .deflate)
        }
    }

    /// The archive's file name: `<AGENCY>-FY<year>Q<quarter>-package.zip`.
    package static func archiveName(agency: String, quarter: FiscalQuarter) -> String {
        "\(fileSafe(agency))-FY\(quarter.fiscalYear)Q\(quarter.quarter)-package.zip"
    }
}

/// The package's files would hold more than the limit (``QuarterlyPackage/write(agency:quarter:into:byteLimit:)``).
package struct PackageTooLargeError: Error, Sendable, CustomStringConvertible {
    /// The limit, in bytes.
    package var limit: Int

    package var description: String { "the package holds more than \(limit) bytes" }
}

/// The bytes one package may still write, shared by its files.
final class PackageByteBudget {
    /// The most bytes, every file together; `nil`: no limit.
    let limit: Int?
    /// Bytes written so far.
    private(set) var written = 0

    init(limit: Int?) {
        self.limit = limit
    }

    /// Counts `count` more bytes, or refuses them when they would pass the limit.
    func spend(_ count: Int) throws(PackageTooLargeError) {
        let (total, overflow) = written.addingReportingOverflow(count)
        if let limit, overflow || total > limit { throw PackageTooLargeError(limit: limit) }
        written = overflow ? .max : total
    }
}

/// One file of a package being written: every write is counted against the package's ``PackageByteBudget``
/// before it reaches the disk.
struct PackageFileWriter {
    let handle: FileHandle
    let budget: PackageByteBudget

    /// Appends `data`.
    func write(contentsOf data: Data) throws {
        try budget.spend(data.count)
        try handle.write(contentsOf: data)
    }
}

/// An export file could not be created.
struct ExportFileError: Error, Sendable, CustomStringConvertible {
    /// The file.
    var path: String

    var description: String { "cannot create \(path)" }
}

/// A name part safe in a file name: letters, digits, `.`, `_` and `-`; anything else becomes `_`.
private func fileSafe(_ text: String) -> String {
    String(
        text.unicodeScalars.map { scalar in
            CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII || "._-".unicodeScalars.contains(scalar) ? Character(scalar) : "_"
        }
    )
}
