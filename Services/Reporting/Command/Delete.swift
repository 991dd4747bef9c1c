import ArgumentParser
import Configuration
import Foundation
import Logging
import Reporting

/// `reporting delete`: withdraws responses from every figure and export (the rows stay, marked deleted with
/// the reason, so a replay cannot bring them back).
struct Delete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete responses from every figure and export, by event id, and recompute the aggregates."
    )

    @Option(name: .customLong("event-id"), help: "An event id to delete (repeat for several).")
    var eventIds: [String] = []

    @Option(help: "The agency whose responses these are (an event is its agency and its id).")
    var agency: String

    @Option(help: "Why, kept with each deleted row for the audit trail.")
    var reason: String

    func validate() throws {
        guard !eventIds.isEmpty else { throw ValidationError("give at least one --event-id") }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--reason must not be empty") }
        guard !agency.isEmpty else { throw ValidationError("--agency must not be empty") }
    }

    func run() async throws {
        let configuration = try ReportingConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider()))
        var logger = Logger(label: "reporting-delete")
        logger.logLevel = .warning
        let summary = try await deleteReportingResponses(
            configuration: configuration,
            eventIds: eventIds,
            agency: agency,
            reason: reason,
            logger: logger
        )
        print("reporting delete: \(summary)")
    }
}
