import CivicPostgres
import CivicRuntime
import Foundation
import Logging
import ReportingCore
import ReportingExports

/// Writes one agency's quarterly exports into `directory` (created if missing), without the HTTP service
/// (``QuarterlyPackage``).
package func exportReporting(
    configuration: ReportingConfiguration,
    agency: String,
    fiscalYear: Int,
    quarter: Int,
    directory: URL,
    logger: Logger
) async throws -> QuarterlyExportSummary {
    let client = PostgresClient(configuration: configuration.runtime.postgres, logger: logger)
    defer { client.close() }
    return try await QuarterlyPackage(
        client: client,
        minimumCellSize: configuration.minimumCellSize,
        fiscalYearStartMonth: configuration.fiscalYearStartMonth,
        driverSettings: configuration.driverSettings
    ).write(
        agency: agency,
        quarter: FiscalQuarter(fiscalYear: fiscalYear, quarter: quarter),
        into: directory
    )
}
