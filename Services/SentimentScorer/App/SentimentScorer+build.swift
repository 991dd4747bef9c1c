import CivicModels
import CivicRuntime
import CivicSentiment
import Logging
import Prometheus
import ServiceLifecycle

/// Assembles sentiment-scorer: loads the lexicons, prepares topics and its schema, then returns its
/// components in dependency order.
package func buildSentimentScorer(
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
    let erasure = try stage.erasureProcessor(erased: ScoreStore.erased, tables: ScoreStore.erasedTables)
    return stage.services([processor, erasure, stage.retention(ScoreStore.retention)], registry: registry)
}

/// Applies sentiment-scorer's retention schedule (`CIVIC_RETENTION_*`) once, for `sentiment-scorer purge`; the running service
/// does it at start-up and on the configured interval.
package func purgeSentimentScorer(configuration: SentimentScorerConfiguration, logger: Logger) async throws -> RetentionPurge.Summary {
    try await ScoreStore.retention.runOnce(configuration: configuration.runtime, migrations: ScoreStore.migrations, logger: logger)
}
