import CivicModels
import CivicRuntime
import CivicSentiment
import Logging
import Prometheus
import ServiceLifecycle

/// Assembles sentiment-scorer: loads the lexicons, prepares topics and its schema, then returns its
/// components in dependency order.
public func buildSentimentScorer(
    configuration: SentimentScorerConfiguration,
    registry: PrometheusCollectorRegistry?,
    logger: Logger
) async throws -> [any Service] {
    let scorer = try CommentScorer()
    let stage = try await PipelineStage.prepare(configuration: configuration.runtime, migrations: ScoreStore.migrations, logger: logger)
    let processor = try stage.processor(
        name: "scorer",
        topics: [CivicTopic.verified],
        handler: ScoringHandler(scorer: scorer, store: ScoreStore(client: stage.postgres), logger: logger)
    )
    return stage.services([processor], registry: registry)
}
