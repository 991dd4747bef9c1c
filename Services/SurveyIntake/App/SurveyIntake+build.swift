import CivicContracts
import CivicModels
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
    let stage = try await PipelineStage.prepare(configuration: configuration.runtime, migrations: IntakeStore.migrations, logger: logger)
    let agencies = AgencyRegistry(client: stage.postgres)
    if let file = configuration.registry {
        try await agencies.register(file.agencies)
        logger.info("registered agencies", metadata: ["civic.agencies": "\(file.agencies.map(\.code))"])
    }
    let processor = try stage.processor(
        name: "intake",
        topics: [CivicTopic.submitted],
        handler: IntakeHandler(
            validator: SubmissionValidator(responses: configuration.validation, operations: configuration.operations),
            registry: agencies,
            store: IntakeStore(client: stage.postgres),
            spam: SpamDetector(configuration: configuration.spam),
            logger: logger
        )
    )
    let contracts = try ContractRoutes(openAPI: IntakeAPI.openAPI, events: true)
    let spamReview = SpamReviewRoute(store: IntakeStore(client: stage.postgres), adminToken: configuration.adminToken)
    return stage.services(
        [processor],
        registry: registry,
        routes: { router in
            contracts.register(on: router)
            spamReview.register(on: router)
        }
    )
}
