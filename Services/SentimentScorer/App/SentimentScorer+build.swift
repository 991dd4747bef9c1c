import CivicKafka
import CivicModels
import CivicPostgres
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
    let runtime = configuration.runtime
    let scorer = try CommentScorer()
    let postgres = PostgresClient(configuration: runtime.postgres, logger: logger)
    try await CivicServiceRunner.prepare(
        configuration: runtime,
        topics: CivicTopic.all,
        postgres: postgres,
        migrations: ScoreStore.migrations,
        logger: logger
    )
    let readiness = ReadinessState()
    let producer = try KafkaProducer(configuration: runtime.kafkaProducer, logger: logger)
    let consumer = try KafkaConsumer(configuration: runtime.kafkaConsumer(topics: [CivicTopic.verified]), logger: logger)
    let processor = StreamProcessor(
        name: "scorer",
        consumer: consumer,
        producer: producer,
        handler: ScoringHandler(scorer: scorer, store: ScoreStore(client: postgres), logger: logger),
        configuration: StreamProcessorConfiguration(maxBatchSize: runtime.batchSize),
        readiness: readiness,
        logger: logger
    )
    let http = OperationsServer.make(configuration: runtime, readiness: readiness, registry: registry, logger: logger)
    return [ProducerService(producer: producer), processor, http]
}
