import CivicContracts
import CivicModels
import CivicRuntime
import Logging
import Prometheus
import ServiceLifecycle

/// Assembles survey-intake: prepares topics and its schema, then returns its components in dependency
/// order (producer, stream processor, HTTP endpoint). `@main` and the tests both call this.
package func buildSurveyIntake(
    configuration: SurveyIntakeConfiguration,
    registry: PrometheusCollectorRegistry?,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> [any Service] {
    let stage = try await PipelineStage.prepare(configuration: configuration.runtime, migrations: IntakeStore.migrations, logger: logger)
    let agencies = AgencyRegistry(client: stage.postgres)
    let instruments = InstrumentRegistry(client: stage.postgres, cacheLifetime: .seconds(configuration.instrumentCacheSeconds))
    if let file = configuration.registry {
        try await agencies.register(file.agencies)
        try await instruments.register(file.agencies)
        logger.info("registered agencies", metadata: ["civic.agencies": "\(file.agencies.map(\.code))"])
    }
    // Every registered agency's own topic exists before anything reads or writes it (agencies' clients may not
    // create topics).
    let topics = try AgencyTopics(configuration: configuration.runtime, logger: logger)
    try await CivicServiceRunner.retrying(
        "creating the agencies' topics",
        timeoutSeconds: configuration.runtime.startupTimeoutSeconds,
        logger: logger
    ) {
        try await topics.create(for: try await agencies.codes())
    }
    // A broker restarted without its state forgot these topics too: a heal recreates them.
    stage.healer.alsoRecreate { try await topics.create(for: try await agencies.codes()) }
    let admission = SubmissionAdmission(agencies: agencies, instruments: instruments)
    let validator = SubmissionValidator(responses: configuration.validation, operations: configuration.operations)
    let store = IntakeStore(client: stage.postgres)
    let redacted = try await store.redactStoredComments()
    if redacted > 0 { logger.notice("redacted the comments of responses stored before redaction at intake", metadata: ["count": "\(redacted)"]) }
    // Every agency's topic, by pattern (so an agency registered later, or through another replica, is read once the
    // consumer next refreshes its topic list), and the retired shared topic, only to dead-letter what arrives there.
    let processor = try stage.processor(
        name: "intake",
        topics: [CivicTopic.agencySubmittedPattern, CivicTopic.legacySubmitted],
        topicMetadataRefreshMilliseconds: configuration.agencyTopicRefreshSeconds * 1_000,
        handler: IntakeHandler(
            validator: validator,
            admission: admission,
            store: store,
            spam: SpamDetector(configuration: configuration.spam),
            logger: logger
        )
    )
    let routes = try IntakeRoutes(
        configuration: configuration.http,
        validator: SubmissionItemValidator(
            schema: SchemaVersion.submitted,
            validator: validator,
            admission: admission,
            stored: StoredEventLookup(client: stage.postgres, table: .responses)
        ),
        operationsValidator: SubmissionItemValidator(
            schema: SchemaVersion.operations,
            validator: validator,
            admission: admission,
            stored: StoredEventLookup(client: stage.postgres, table: .operations)
        ),
        admission: admission,
        keys: APIKeyStore(client: stage.postgres, cacheLifetime: .seconds(configuration.http.apiKeyCacheSeconds)),
        formKeys: FormKeyStore(client: stage.postgres),
        topics: topics,
        store: store,
        producer: stage.producer,
        logger: logger
    )
    let contracts = try ContractRoutes<IntakeRequestContext>(openAPI: IntakeAPI.openAPI, events: true)
    let erasure = try stage.erasureProcessor(erased: IntakeStore.erased, tables: IntakeStore.erasedTables)
    return stage.services(
        [processor, erasure, stage.retention(IntakeStore.retention)],
        registry: registry,
        onServerRunning: onServerRunning,
        context: IntakeRequestContext.self,
        routes: [routes, contracts]
    )
}

/// Applies survey-intake's retention schedule (`CIVIC_RETENTION_*`) once, for `survey-intake purge`; the running service
/// does it at start-up and on the configured interval.
package func purgeSurveyIntake(configuration: SurveyIntakeConfiguration, logger: Logger) async throws -> RetentionPurge.Summary {
    try await IntakeStore.retention.runOnce(configuration: configuration.runtime, migrations: IntakeStore.migrations, logger: logger)
}
