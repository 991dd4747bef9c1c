import ArgumentParser
import Configuration
import Foundation
import Logging
import Reporting

/// `reporting delete`: erases responses from every stage (an erasure request on `cx.privacy.erasures.v1`,
/// which survey-intake, identity-verify, sentiment-scorer and reporting each apply to their own schema), and
/// from every figure and export; only the events' keys stay, so a replay cannot bring them back.
struct Delete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Erase responses from every stage and every figure, by event id or respondent pseudonym."
    )

    @Option(name: .customLong("event-id"), help: "An event id to erase (repeat for several).")
    var eventIds: [String] = []

    @Option(name: .customLong("respondent"), help: "A respondent pseudonym whose responses to erase (repeat for several).")
    var respondents: [String] = []

    @Option(help: "The agency whose responses these are (an event is its agency and its id).")
    var agency: String

    @Option(help: "Why, kept with each tombstone for the audit trail.")
    var reason: String

    @Option(name: .customLong("requested-by"), help: "Who asked (kept with the request). Default: reporting delete.")
    var requestedBy = "reporting delete"

    func validate() throws {
        guard !eventIds.isEmpty || !respondents.isEmpty else { throw ValidationError("give at least one --event-id or --respondent") }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--reason must not be empty") }
        guard !agency.isEmpty else { throw ValidationError("--agency must not be empty") }
    }

    func run() async throws {
        let configuration = try ReportingConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider()))
        var logger = Logger(label: "reporting-delete")
        logger.logLevel = .warning
        let summary = try await eraseReportingResponses(
            configuration: configuration,
            agency: agency,
            eventIds: eventIds,
            respondents: respondents,
            reason: reason,
            requestedBy: requestedBy,
            logger: logger
        )
        print("reporting delete: \(summary)")
    }
}

/// `reporting purge`: applies the retention schedule (`CIVIC_RETENTION_*`) to reporting's tables once; the
/// running service does it at start-up and daily.
struct Purge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the retention schedule to reporting's tables now.")

    func run() async throws {
        let configuration = try ReportingConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider()))
        var logger = Logger(label: "reporting-purge")
        logger.logLevel = .warning
        print("reporting purge: \(try await purgeReporting(configuration: configuration, logger: logger))")
    }
}
