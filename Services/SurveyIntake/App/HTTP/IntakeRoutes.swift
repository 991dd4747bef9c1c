import CivicKafka
import CivicRuntime
import Crypto
import Hummingbird
import Logging

/// survey-intake's own HTTP routes: `POST /v1/responses`, `POST /v1/operations`, the hosted form and its embed
/// (``FormEndpoint``), and the admin routes
/// (``AdminEndpoints``, the spam review included) when an admin token is set. Both submission routes share one rate limiter, so an API key's budget covers both.
struct IntakeRoutes: RouteGroup {
    typealias Context = IntakeRequestContext

    let responses: ResponsesEndpoint<SubmissionItemValidator>
    let operations: ResponsesEndpoint<SubmissionItemValidator>
    let forms: FormEndpoint
    let admin: AdminEndpoints?

    init(
        configuration: IntakeHTTPConfiguration,
        validator: SubmissionItemValidator,
        operationsValidator: SubmissionItemValidator,
        admission: SubmissionAdmission,
        keys: APIKeyStore,
        formKeys: FormKeyStore,
        topics: AgencyTopics,
        store: IntakeStore,
        producer: KafkaProducer,
        logger: Logger
    ) throws {
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
        forms = FormEndpoint(
            keys: formKeys,
            instruments: admission.instruments,
            ledger: FormTokenLedger(client: store.client),
            limiter: limiter,
            processor: SubmissionProcessor(validator: validator, producer: producer, maxBatchItems: 1, logger: logger),
            hasher: hasher,
            trustedProxies: configuration.trustedProxies,
            configuration: configuration.forms,
            tokenKey: configuration.forms.tokenKey.map { SymmetricKey(data: $0) } ?? SymmetricKey(size: .bits256),
            script: try EmbedScript(),
            logger: logger
        )
        admin = configuration.adminToken.map {
            AdminEndpoints(adminToken: $0, admission: admission, keys: keys, formKeys: formKeys, topics: topics, store: store, logger: logger)
        }
    }

    func register(on router: some RouterMethods<IntakeRequestContext>) {
        router.post("v1/responses") { request, context in await responses.handle(request, context: context) }
        router.post("v1/operations") { request, context in await operations.handle(request, context: context) }
        forms.register(on: router)
        admin?.register(on: router)
    }
}
