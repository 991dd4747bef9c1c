import CivicModels
import CivicRuntime
import Crypto
import Foundation
import Hummingbird
import Logging

/// The admin routes, present only when `CIVIC_INTAKE_ADMIN_TOKEN` is set (otherwise they answer 404, as
/// if they did not exist), each behind that bearer token:
/// - `PUT /v1/admin/agencies/{code}` registers an agency and its services,
/// - `POST /v1/admin/agencies/{code}/keys` mints an API key for it,
/// - `DELETE /v1/admin/agencies/{code}/keys/{keyId}` revokes one,
/// - `GET /v1/admin/agencies/{code}/instruments` lists its survey instruments,
/// - `PUT` and `DELETE /v1/admin/agencies/{code}/instruments/{service}/{channel}` set or retire one
///   (``AdminEndpoints/registerInstrumentRoutes(on:)``),
/// - `POST /v1/admin/agencies/{code}/instruments/{service}/{channel}/form-keys` mints the public form key of an
///   instrument's hosted form and embed, `DELETE /v1/admin/agencies/{code}/form-keys/{keyId}` revokes one
///   (``AdminEndpoints/registerFormKeyRoutes(on:)``),
/// - `GET /v1/spam?agency=X&limit=N` lists an agency's flagged responses for review (``SpamReviewRoute``).
struct AdminEndpoints: RouteGroup {
    typealias Context = IntakeRequestContext

    let authorization: AdminAuthorization
    let registry: AgencyRegistry
    let instruments: InstrumentRegistry
    let keys: APIKeyStore
    let formKeys: FormKeyStore
    let topics: AgencyTopics
    let spamReview: SpamReviewRoute<IntakeRequestContext>
    let logger: Logger

    init(
        adminToken: String,
        admission: SubmissionAdmission,
        keys: APIKeyStore,
        formKeys: FormKeyStore,
        topics: AgencyTopics,
        store: IntakeStore,
        logger: Logger
    ) {
        authorization = AdminAuthorization(adminToken: adminToken)
        self.registry = admission.agencies
        self.instruments = admission.instruments
        self.keys = keys
        self.formKeys = formKeys
        self.topics = topics
        spamReview = SpamReviewRoute(store: store, authorization: authorization)
        self.logger = logger
    }

    func register(on router: some RouterMethods<IntakeRequestContext>) {
        router.put("v1/admin/agencies/:code") { request, context in
            await answer(request, context) { (code, requestId) async throws(APIError) in
                try await register(code, request: request, requestId: requestId)
            }
        }
        router.post("v1/admin/agencies/:code/keys") { request, context in
            await answer(request, context) { (code, requestId) async throws(APIError) in try await mintKey(code, requestId: requestId) }
        }
        router.delete("v1/admin/agencies/:code/keys/:keyId") { request, context in
            await answer(request, context) { (code, requestId) async throws(APIError) in
                try await revokeKey(code, keyId: context.parameters.get("keyId") ?? "", requestId: requestId)
            }
        }
        registerInstrumentRoutes(on: router)
        registerFormKeyRoutes(on: router)
        spamReview.register(on: router)
    }

    /// Runs `body` for an authorised request naming a valid agency code, and answers its error otherwise.
    func answer(
        _ request: Request,
        _ context: IntakeRequestContext,
        _ body: (String, String) async throws(APIError) -> Response
    ) async -> Response {
        let requestId = HTTPRequestID.make()
        do throws(APIError) {
            try authorization.check(request)
            guard let code = context.parameters.get("code"), Self.isValidCode(code) else {
                throw APIError.badRequest(RejectionCode.invalidValue, "code: must be 1 to 100 letters, digits, '-' or '_'", field: "code")
            }
            return try await body(code, requestId)
        } catch {
            return error.with(requestId: requestId).response()
        }
    }

    private func register(_ code: String, request: Request, requestId: String) async throws(APIError) -> Response {
        let bytes = try await HTTPResponses.body(of: request, limit: 1 << 20)
        let registration: AgencyRegistration
        do {
            registration = try JSONDecoder().decode(AgencyRegistration.self, from: Data(bytes))
        } catch let error as DecodingError {
            let rejection = ResponseValidator.rejection(for: error, eventId: nil)
            throw .badRequest(rejection.code, rejection.reason)
        } catch {
            throw .badRequest(.notJSON, "the body is not JSON")
        }
        if registration.name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .badRequest(.missingField, "name: must not be empty")
        }
        for (index, service) in registration.services.enumerated() where !Self.isValidCode(service.code) {
            throw .badRequest(.invalidValue, "services[\(index)].code: must be 1 to 100 letters, digits, '-' or '_'")
        }
        // Codes that differ only in case would share one topic and one Kafka user: one agency, one spelling.
        let registered: [String]
        do {
            registered = try await registry.codes()
        } catch {
            logger.error("reading the registered agencies failed", metadata: ["error": "\(error)"])
            throw .databaseUnavailable
        }
        if let other = registered.first(where: { $0 != code && $0.lowercased() == code.lowercased() }) {
            throw APIError(
                .conflict,
                code: .agencyCodeTaken,
                reason: "code: \"\(other)\" is registered; codes that differ only in case would share one topic, "
                    + CivicTopic.submitted(agency: code),
                field: "code"
            )
        }
        do {
            try await registry.register([
                RegistryFile.Agency(
                    code: code,
                    name: registration.name,
                    services: registration.services.map { RegistryFile.Service(code: $0.code, name: $0.name) }
                )
            ])
        } catch {
            logger.error("agency registration failed", metadata: ["error": "\(error)"])
            throw .databaseUnavailable
        }
        // The agency's own topic, which its client may write but not create. Registering again retries it.
        do {
            try await topics.create(for: [code])
        } catch {
            logger.error("creating the agency's topic failed", metadata: ["civic.agency": "\(code)", "error": "\(error)"])
            throw .brokerUnavailable
        }
        logger.notice("agency registered", metadata: ["civic.agency": "\(code)"])
        return HTTPResponses.json(.ok, registration, requestId: requestId)
    }

    private func mintKey(_ code: String, requestId: String) async throws(APIError) -> Response {
        let minted: APIKeyStore.Minted?
        do {
            minted = try await keys.mint(agency: code)
        } catch {
            logger.error("minting an API key failed", metadata: ["error": "\(error)"])
            throw .databaseUnavailable
        }
        guard let minted else {
            throw APIError(.notFound, code: "unknown_agency", reason: "agency: \"\(code)\" is not a registered agency")
        }
        logger.notice("API key minted", metadata: ["civic.agency": "\(code)", "civic.key.id": "\(minted.key.id)"])
        return HTTPResponses.json(
            .created,
            MintedAPIKey(agency: code, keyId: minted.key.id, key: minted.plaintext),
            requestId: requestId
        )
    }

    private func revokeKey(_ code: String, keyId: String, requestId: String) async throws(APIError) -> Response {
        let unknown = APIError(
            .notFound,
            code: .unknownKey,
            reason: "keyId: \"\(keyId)\" is not an API key of agency \"\(code)\""
        )
        // Key ids are 16 lower-case hex digits; anything else cannot name a key.
        guard BearerSecret.isKeyId(keyId) else {
            throw unknown
        }
        let revocation: APIKeyStore.Revocation
        do {
            revocation = try await keys.revoke(agency: code, keyId: keyId)
        } catch {
            logger.error("revoking an API key failed", metadata: ["error": "\(error)"])
            throw .databaseUnavailable
        }
        guard case .revoked(let at) = revocation else { throw unknown }
        logger.notice("API key revoked", metadata: ["civic.agency": "\(code)", "civic.key.id": "\(keyId)"])
        return HTTPResponses.json(.ok, RevokedAPIKey(agency: code, keyId: keyId, revokedAt: Timestamp.format(at)), requestId: requestId)
    }

    /// An agency or service code: 1 to 100 ASCII letters, digits, `-` or `_` (an agency's names its topic).
    static func isValidCode(_ code: String) -> Bool {
        CivicTopic.isAgencyCode(code)
    }
}
