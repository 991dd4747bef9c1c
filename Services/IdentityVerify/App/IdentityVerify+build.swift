import CivicIdentity
import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import Logging
import Prometheus
import ServiceLifecycle

/// Assembles identity-verify: prepares topics and its schema, loads the issuers' keys (failing fast on a
/// bad configuration), then returns its components in dependency order.
public func buildIdentityVerify(
    configuration: IdentityVerifyConfiguration,
    registry: PrometheusCollectorRegistry?,
    logger: Logger
) async throws -> [any Service] {
    let runtime = configuration.runtime
    let verifier = try IdentityVerifier(
        configuration: try configuration.issuers.verifierConfiguration(),
        pseudonymizer: Pseudonymizer(keyRing: try configuration.keyRing()),
        logger: logger
    )
    let postgres = PostgresClient(configuration: runtime.postgres, logger: logger)
    try await CivicServiceRunner.prepare(
        configuration: runtime,
        topics: CivicTopic.all,
        postgres: postgres,
        migrations: VerificationStore.migrations,
        logger: logger
    )
    do {
        try await verifier.loadKeys()
    } catch {
        // An issuer whose JWKS is unreachable now is retried on use; its tokens are refused meanwhile.
        logger.warning("could not load every issuer's keys at start-up", metadata: ["error": "\(error)"])
    }
    let readiness = ReadinessState()
    let producer = try KafkaProducer(configuration: runtime.kafkaProducer, logger: logger)
    let consumer = try KafkaConsumer(configuration: runtime.kafkaConsumer(topics: [CivicTopic.accepted]), logger: logger)
    let processor = StreamProcessor(
        name: "identity",
        consumer: consumer,
        producer: producer,
        handler: VerificationHandler(verifier: verifier, redactor: PIIRedactor(), store: VerificationStore(client: postgres), logger: logger),
        configuration: StreamProcessorConfiguration(maxBatchSize: runtime.batchSize),
        readiness: readiness,
        logger: logger
    )
    let requestConsumer = try KafkaConsumer(
        configuration: runtime.kafkaConsumer(topics: [CivicTopic.identityRequests], group: "\(runtime.serviceName)-requests"),
        logger: logger
    )
    let requests = StreamProcessor(
        name: "identity-requests",
        consumer: requestConsumer,
        producer: producer,
        handler: IdentityRequestHandler(verifier: verifier, client: postgres, replyDeadline: configuration.replyDeadline, logger: logger),
        configuration: StreamProcessorConfiguration(maxBatchSize: runtime.batchSize),
        readiness: readiness,
        logger: logger
    )
    let http = OperationsServer.make(configuration: runtime, readiness: readiness, registry: registry, logger: logger)
    return [ProducerService(producer: producer), processor, requests, http]
}
