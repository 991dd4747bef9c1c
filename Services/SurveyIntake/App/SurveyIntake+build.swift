import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import Logging
import Prometheus
import ServiceLifecycle

/// Assembles survey-intake: prepares topics and its schema, then returns its components in dependency
/// order (producer, stream processor, HTTP endpoint). `@main` and the tests both call this.
public func buildSurveyIntake(
    configuration: SurveyIntakeConfiguration,
    registry: PrometheusCollectorRegistry?,
    logger: Logger
) async throws -> [any Service] {
    let runtime = configuration.runtime
    let postgres = PostgresClient(configuration: runtime.postgres, logger: logger)
    try await CivicServiceRunner.prepare(
        configuration: runtime,
        topics: CivicTopic.all,
        postgres: postgres,
        migrations: IntakeStore.migrations,
        logger: logger
    )
    let readiness = ReadinessState()
    let producer = try KafkaProducer(configuration: runtime.kafkaProducer, logger: logger)
    let consumer = try KafkaConsumer(configuration: runtime.kafkaConsumer(topics: [CivicTopic.submitted]), logger: logger)
    let handler = IntakeHandler(
        validator: ResponseValidator(configuration: configuration.validation),
        store: IntakeStore(client: postgres),
        logger: logger
    )
    let processor = StreamProcessor(
        name: "intake",
        consumer: consumer,
        producer: producer,
        handler: handler,
        configuration: StreamProcessorConfiguration(maxBatchSize: runtime.batchSize),
        readiness: readiness,
        logger: logger
    )
    let http = OperationsServer.make(configuration: runtime, readiness: readiness, registry: registry, logger: logger)
    return [ProducerService(producer: producer), processor, http]
}
