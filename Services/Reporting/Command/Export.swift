import ArgumentParser
import CivicRuntime
import Configuration
import Foundation
import Logging
import Reporting
import ReportingExports

/// `reporting export`: writes one agency's quarterly exports into a folder (one Touchpoints upload per
/// service and channel, plus the collections and the legacy counts), reading the database directly.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the quarterly Touchpoints exports of one agency into a folder, one file per service and channel."
    )

    @Option(help: "The agency code, for example IRS.")
    var agency: String

    @Option(help: "The fiscal year, for example 2027.")
    var fiscalYear: Int

    @Option(help: "The fiscal quarter, 1-4.")
    var quarter: Int

    @Option(help: "The folder to write into (created if missing).")
    var out: String

    func validate() throws {
        guard !agency.isEmpty else { throw ValidationError("--agency must not be empty") }
        let years = QueryParameters.fiscalYears
        guard years.contains(fiscalYear) else {
            throw ValidationError("--fiscal-year must be in \(years.lowerBound)...\(years.upperBound), not \(fiscalYear)")
        }
        guard (1...4).contains(quarter) else { throw ValidationError("--quarter must be 1, 2, 3 or 4, not \(quarter)") }
    }

    func run() async throws {
        let configuration = try ReportingConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider()))
        var logger = Logger(label: "reporting-export")
        logger.logLevel = .warning
        let summary = try await exportReporting(
            configuration: configuration,
            agency: agency,
            fiscalYear: fiscalYear,
            quarter: quarter,
            directory: URL(fileURLWithPath: out),
            logger: logger
        )
        for file in summary.files { print(file) }
        for collection in summary.suppressed { print("suppressed: \(collection)") }
        print("reporting export: \(summary)")
    }
}
