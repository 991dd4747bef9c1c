import CivicKafka
import CivicModels
import CivicPostgres
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// What every pipeline stage is made of: its database client (schema migrated), the topics (created),
/// one idempotent producer, a readiness state, and the logger. A service's `+build.swift` prepares one,
/// adds its stream processors, and asks for its services in dependency order.
package struct PipelineStage: Sendable {
    /// Shared settings.
    package let configuration: RuntimeConfiguration
    /// The stage's database client; its schema is migrated.
    package let postgres: PostgresClient
    /// The stage's producer (outputs and rejections).
    package let producer: KafkaProducer
    /// What `/ready` reports.
    package let readiness: ReadinessState
    /// The service logger.
    package let logger: Logger
    /// What recreates the topics and rebuilds ``producer`` when a processor makes no progress.
    package let healer: StageHealer

    /// Creates the topics, applies `migrations` (retrying while the broker or database comes up), and
    /// opens the producer.
    package static func prepare(
        configuration: RuntimeConfiguration,
        migrations: PostgresMigrations,
        logger: Logger
    ) async throws -> PipelineStage {
        let postgres = PostgresClient(configuration: configuration.postgres, logger: logger)
        try await CivicServiceRunner.prepare(
            configuration: configuration,
            topics: CivicTopic.all,
            postgres: postgres,
            migrations: migrations,
            logger: logger
        )
        let producer = try KafkaProducer(configuration: configuration.kafkaProducer, logger: logger)
        return PipelineStage(
            configuration: configuration,
            postgres: postgres,
            producer: producer,
            readiness: ReadinessState(),
            logger: logger,
            healer: StageHealer(
                configuration: configuration,
                topics: CivicTopic.all,
                producer: producer,
                coalescing: .seconds(configuration.healAfterSeconds) / 2,
                logger: logger
            )
        )
    }

    /// A stream processor that consumes `topics` (in consumer group `group`, the service name by default). A topic
    /// that starts with `^` is a pattern; the topic list is refreshed every `topicMetadataRefreshMilliseconds`
    /// (librdkafka's 5 minutes by default), which bounds how soon a new topic that matches is read.
    package func processor<Handler: BatchHandler>(
        name: String,
        topics: [String],
        group: String? = nil,
        topicMetadataRefreshMilliseconds: Int? = nil,
        handler: Handler
    ) throws -> StreamProcessor<Handler> {
        var consumer = configuration.kafkaConsumer(topics: topics, group: group)
        if let topicMetadataRefreshMilliseconds { consumer.topicMetadataRefreshMilliseconds = topicMetadataRefreshMilliseconds }
        var processing = StreamProcessorConfiguration(maxBatchSize: configuration.batchSize)
        processing.stallTimeout = .seconds(configuration.stallTimeoutSeconds)
        processing.lagInterval = .seconds(configuration.lagIntervalSeconds)
        processing.healAfter = .seconds(configuration.healAfterSeconds)
        processing.livenessTimeout = .seconds(configuration.livenessTimeoutSeconds)
        return StreamProcessor(
            name: name,
            consumer: try KafkaConsumer(configuration: consumer, logger: logger),
            producer: producer,
            handler: handler,
            configuration: processing,
            readiness: readiness,
            healer: healer,
            logger: logger
        )
    }

    /// The stream processor that applies `ErasureRequest`s to the service's schema: it consumes
    /// ``CivicTopic/erasures`` in the service's own group (`<service>-erasure`), and for each request signed by
    /// one of ``RuntimeConfiguration/erasureVerifyKeys`` deletes the events' rows from `tables` and writes
    /// their tombstones in `erased`.
    package func erasureProcessor(erased: ErasedEvents, tables: [ErasedEvents.EventTable]) throws -> StreamProcessor<ErasureHandler> {
        try erasureProcessor(
            ErasureHandler(
                stage: configuration.serviceName,
                verifyKeys: configuration.erasureVerifyKeys,
                client: postgres,
                erased: erased,
                tables: tables,
                logger: logger
            )
        )
    }

    /// The stream processor that applies `ErasureRequest`s with `handler`.
    package func erasureProcessor(_ handler: ErasureHandler) throws -> StreamProcessor<ErasureHandler> {
        try processor(
            name: "\(configuration.serviceName)-erasure",
            topics: [CivicTopic.erasures],
            group: "\(configuration.serviceName)-erasure",
            handler: handler
        )
    }

    /// The service that applies `purge` at start-up and then on the configured interval.
    package func retention(_ purge: RetentionPurge) -> RetentionService {
        RetentionService(purge: purge, schedule: configuration.retention, client: postgres, logger: logger)
    }

    /// The service's components in dependency order: the database pool (stopped last, its connections
    /// closed), the producer (stopped after the processors, once it flushed), the processors, and the HTTP
    /// endpoint (stopped first).
    package func services(
        _ processors: [any Service],
        registry: PrometheusCollectorRegistry?,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        routes: [any RouteGroup<BasicRequestContext>] = []
    ) -> [any Service] {
        let http = OperationsServer.make(
            configuration: configuration,
            readiness: readiness,
            registry: registry,
            logger: logger,
            onServerRunning: onServerRunning,
            routes: routes
        )
        return [PostgresClientService(client: postgres), ProducerService(producer: producer)] + processors + [http]
    }

    /// The same as ``services(_:registry:onServerRunning:routes:)``, with routes on a service-specific
    /// request context.
    package func services<Context: RequestContext>(
        _ processors: [any Service],
        registry: PrometheusCollectorRegistry?,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        context: Context.Type,
        routes: [any RouteGroup<Context>]
    ) -> [any Service] where Context.Source == ApplicationRequestContextSource {
        let http = OperationsServer.make(
            configuration: configuration,
            readiness: readiness,
            registry: registry,
            logger: logger,
            onServerRunning: onServerRunning,
            context: context,
            routes: routes
        )
        return [PostgresClientService(client: postgres), ProducerService(producer: producer)] + processors + [http]
    }
}

extension RejectedFeedback {
    /// A rejection for a consumed message that a stage could not read (so it is not dropped silently).
    package static func unreadable(_ message: KafkaConsumerMessage, stage: String, error: any Error, at time: Date) -> RejectedFeedback {
        RejectedFeedback(
            code: .unreadableEvent,
            field: nil,
            reason: "\(stage) could not read the event: \(error)",
            source: .init(topic: message.topic, partition: message.partition, offset: message.offset),
            original: message.value,
            rejectedAt: time
        )
    }

    /// The message that publishes this rejection on ``CivicTopic/rejected``.
    package func outbound(key: [UInt8]?, encoder: JSONEncoder) throws -> KafkaOutboundMessage {
        KafkaOutboundMessage(topic: CivicTopic.rejected, key: key, value: Array(try encoder.encode(self)))
    }
}
