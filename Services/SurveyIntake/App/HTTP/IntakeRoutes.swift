import CivicKafka
import Hummingbird
import Logging

/// survey-intake's own HTTP routes: `POST /v1/responses`, and the admin routes when an admin token is set.
struct IntakeRoutes: Sendable {
    let responses: ResponsesEndpoint<FeedbackSubmissionValidator>
    let admin: AdminEndpoints?

    init(
        configuration: IntakeHTTPConfiguration,
        validator: FeedbackSubmissionValidator,
        registry: AgencyRegistry,
        keys: APIKeyStore,
        producer: KafkaProducer,
        logger: Logger
    ) {
        responses = ResponsesEndpoint(
            keys: keys,
            limiter: RateLimiter(ratePerSecond: configuration.requestsPerSecond, burst: configuration.burst),
            processor: SubmissionProcessor(validator: validator, producer: producer, maxBatchItems: configuration.maxBatchItems, logger: logger),
            hasher: SubmitterHasher(secret: configuration.submitterKey),
            maxBodyBytes: configuration.maxBodyBytes,
            logger: logger
        )
        admin = configuration.adminToken.map { AdminEndpoints(adminToken: $0, registry: registry, keys: keys, logger: logger) }
    }

    /// Adds the routes to `router`.
    func add(to router: Router<IntakeRequestContext>) {
        router.post("v1/responses") { request, context in await responses.handle(request, context: context) }
        admin?.add(to: router)
    }
}
