import ArgumentParser
import CivicRuntime
import Configuration
import Foundation
import Logging
import Reporting

/// reporting: aggregates scored feedback and operational events per agency, service, channel and fiscal
/// quarter and serves them (`reporting serve`, the default), recomputes the aggregates from the stored
/// events (`reporting rebuild`), or writes the quarterly exports (`reporting export`). Configuration comes from `CIVIC_*` environment variables (see docs/configuration.md).
@main
struct ReportingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reporting",
        abstract: "CivicPulse reporting: quarterly CX figures from scored feedback and operational events.",
        subcommands: [Serve.self, Rebuild.self, Export.self, Delete.self, Purge.self],
        defaultSubcommand: Serve.self
    )
}

/// Runs the service until SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Consume the topics and serve GET /v1/reports (the default).")

    func run() async throws {
        await CivicServiceRunner.main("reporting") {
            let configuration = try ReportingConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider()))
            let (registry, logger) = Observability.bootstrap(configuration.runtime)
            let tracing = try TracingBootstrap.bootstrap(configuration.runtime, logger: logger)
            let services = try await buildReporting(configuration: configuration, registry: registry, logger: logger)
            try await CivicServiceRunner.run(tracing + services, logger: logger)
        }
    }
}

/// Recomputes every aggregate from reporting.feedback and reporting.operations and prints what it did.
struct Rebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute all aggregates from the stored responses and operational events, in one transaction."
    )

    func run() async throws {
        let configuration = try ReportingConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider()))
        var logger = Logger(label: "reporting-rebuild")
        logger.logLevel = .warning
        let summary = try await rebuildReporting(configuration: configuration, logger: logger)
        print("reporting rebuild: \(summary)")
    }
}
