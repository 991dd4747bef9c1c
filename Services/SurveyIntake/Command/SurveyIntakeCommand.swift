import CivicRuntime
import Configuration
import SurveyIntake

/// survey-intake: validates submitted survey responses, rejects bad input with a reason, de-duplicates,
/// persists and forwards. Configuration comes from `CIVIC_*` environment variables (see docs/configuration.md).
@main
struct SurveyIntakeCommand {
    static func main() async {
        await CivicServiceRunner.main("survey-intake") {
            let configuration = try SurveyIntakeConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider()))
            let (registry, logger) = Observability.bootstrap(configuration.runtime)
            if CivicServiceRunner.isPurgeCommand {
                print("survey-intake purge: \(try await purgeSurveyIntake(configuration: configuration, logger: logger))")
                return
            }
            let tracing = try TracingBootstrap.bootstrap(configuration.runtime, logger: logger)
            let services = try await buildSurveyIntake(configuration: configuration, registry: registry, logger: logger)
            try await CivicServiceRunner.run(tracing + services, logger: logger)
        }
    }
}
