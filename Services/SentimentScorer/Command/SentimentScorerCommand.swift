import CivicRuntime
import Configuration
import SentimentScorer

/// sentiment-scorer: scores comments for sentiment (VADER-exact) and emotion.
/// Configuration comes from `CIVIC_*` environment variables (see docs/configuration.md).
@main
struct SentimentScorerCommand {
    static func main() async {
        await CivicServiceRunner.main("sentiment-scorer") {
            let configuration = try SentimentScorerConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider()))
            let (registry, logger) = Observability.bootstrap(configuration.runtime)
            if CivicServiceRunner.isPurgeCommand {
                print("sentiment-scorer purge: \(try await purgeSentimentScorer(configuration: configuration, logger: logger))")
                return
            }
            let tracing = try TracingBootstrap.bootstrap(configuration.runtime, logger: logger)
            let services = try await buildSentimentScorer(configuration: configuration, registry: registry, logger: logger)
            try await CivicServiceRunner.run(tracing + services, logger: logger)
        }
    }
}
