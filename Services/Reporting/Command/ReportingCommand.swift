import ArgumentParser
import CivicRuntime
import Configuration
import Reporting

/// reporting: aggregates scored feedback and operational events per agency, service, channel and fiscal
/// quarter and serves them. Configuration comes from `CIVIC_*` environment variables (see README.md).
@main
struct ReportingCommand {
    static func main() async {
        if CommandLine.arguments.dropFirst().first == "export" { return await Export.main(Array(CommandLine.arguments.dropFirst(2))) }
        await CivicServiceRunner.main("reporting") {
            let configuration = try ReportingConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider()))
            let (registry, logger) = Observability.bootstrap(configuration.runtime)
            let services = try await buildReporting(configuration: configuration, registry: registry, logger: logger)
            try await CivicServiceRunner.run(services, logger: logger)
        }
    }
}
