import CivicKafka
import CivicRuntime
import Hummingbird
import Logging

/// survey-intake's own HTTP routes: `POST /v1/responses`, `POST /v1/operations`, and the admin routes
/// (``AdminEndpoints``, the spam review included) when an admin token is set. Both submission routes share one rate limiter, so an API key's budget covers both.
struct IntakeRoutes: RouteGroup {
    typealias Context = IntakeRequestContext

    let responses: ResponsesEndpoint<SubmissionItemValidator>
    let operations: ResponsesEndpoint<SubmissionItemValidator>
    let admin: AdminEndpoints?

    init(
        configuration: IntakeHTTPConfiguration,
        validator: SubmissionItemValidator,
        operationsValidator: SubmissionItemValidator,
        admission: SubmissionAdmission,
        keys: APIKeyStore,
        topics: AgencyTopics,
        store: IntakeStore,
        producer: KafkaProducer,
        logger: Logger
    ) {
        let limiter = RateLimiter(ratePerSecond: configuration.requestsPerSecond, burst: configuration.burst)
        let hasher = SubmitterHasher(secret: configuration.submitterKey)
        responses = ResponsesEndpoint(
            keys: keys,
            limiter: limiter,
            processor: SubmissionProcessor(validator: validator, producer: producer, maxBatchItems: configuration.maxBatchItems, logger: logger),
            hasher: hasher,
            trustedProxies: configuration.trustedProxies,
            maxBodyBytes: configuration.maxBodyBytes,
            logger: logger
        )
        operations = ResponsesEndpoint(
            keys: keys,
            limiter: limiter,
            processor: SubmissionProcessor(
                validator: operationsValidator,
                producer: producer,
                maxBatchItems: configuration.maxBatchItems,
                logger: logger
            ),
            hasher: hasher,
            trustedProxies: configuration.trustedProxies,
            maxBodyBytes: configuration.maxBodyBytes,
            logger: logger
        )
        admin = configuration.adminToken.map {
            AdminEndpoints(adminToken: $0, admission: admission, keys: keys, topics: topics, store: store, logger: logger)
        }
    }

    func register(on router: some RouterMethods<IntakeRequestContext>) {
        router.post("v1/responses") { request, context in await responses.handle(request, context: context) }
        router.post("v1/operations") { request, context in await operations.handle(request, context: context) }
        admin?.register(on: router)
    }
}
