import CivicModels
import Crypto
import Foundation
import Hummingbird
import Logging

/// The admin routes, present only when `CIVIC_INTAKE_ADMIN_TOKEN` is set:
/// `PUT /v1/admin/agencies/{code}` registers an agency and its services, and
/// `POST /v1/admin/agencies/{code}/keys` mints an API key for it, and
/// `DELETE /v1/admin/agencies/{code}/keys/{keyId}` revokes one.
struct AdminEndpoints: Sendable {
    let tokenDigest: [UInt8]
    let registry: AgencyRegistry
    let keys: APIKeyStore
    let logger: Logger

    init(adminToken: String, registry: AgencyRegistry, keys: APIKeyStore, logger: Logger) {
        tokenDigest = APIKeyStore.digest(adminToken)
        self.registry = registry
        self.keys = keys
        self.logger = logger
    }

    /// Adds the routes to `router`.
    func add(to router: Router<IntakeRequestContext>) {
        router.put("v1/admin/agencies/:code") { request, context in
            await answer(request, context) { (code, requestId) async throws(IntakeHTTPError) in
                try await register(code, request: request, requestId: requestId)
            }
        }
        router.post("v1/admin/agencies/:code/keys") { request, context in
            await answer(request, context) { (code, requestId) async throws(IntakeHTTPError) in try await mintKey(code, requestId: requestId) }
        }
        router.delete("v1/admin/agencies/:code/keys/:keyId") { request, context in
            await answer(request, context) { (code, requestId) async throws(IntakeHTTPError) in
                try await revokeKey(code, keyId: context.parameters.get("keyId") ?? "", requestId: requestId)
            }
        }
    }

    private func answer(
        _ request: Request,
        _ context: IntakeRequestContext,
        _ body: (String, String) async throws(IntakeHTTPError) -> Response
    ) async -> Response {
        let requestId = HTTPResponses.newRequestId()
        // Both sides are hashed first, so the comparison takes the same time whatever the token's length.
        let presented = HTTPResponses.bearerToken(request).map { APIKeyStore.digest(String($0)) } ?? []
        guard ConstantTime.equal(presented, tokenDigest) else { return HTTPResponses.error(.unauthorized, requestId: requestId) }
        guard let code = context.parameters.get("code"), Self.isValidCode(code) else {
            return HTTPResponses.error(.badRequest("invalid_value", "code: must be 1 to 100 letters, digits, '-' or '_'"), requestId: requestId)
        }
        do {
            return try await body(code, requestId)
        } catch {
            return HTTPResponses.error(error, requestId: requestId)
        }
    }

    private func register(_ code: String, request: Request, requestId: String) async throws(IntakeHTTPError) -> Response {
        let bytes = try await HTTPResponses.body(of: request, limit: 1 << 20)
        let registration: AgencyRegistration
        do {
            registration = try JSONDecoder().decode(AgencyRegistration.self, from: Data(bytes))
        } catch let error as DecodingError {
            let rejection = ResponseValidator.rejection(for: error, eventId: nil)
            throw .badRequest(rejection.code.rawValue, rejection.reason)
        } catch {
            throw .badRequest(Rejection.Code.notJSON.rawValue, "the body is not JSON")
        }
        if registration.name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .badRequest(Rejection.Code.missingField.rawValue, "name: must not be empty")
        }
        for (index, service) in registration.services.enumerated() where !Self.isValidCode(service.code) {
            throw .badRequest(Rejection.Code.invalidValue.rawValue, "services[\(index)].code: must be 1 to 100 letters, digits, '-' or '_'")
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
        logger.notice("agency registered", metadata: ["civic.agency": "\(code)"])
        return HTTPResponses.json(.ok, registration, requestId: requestId)
    }

    private func mintKey(_ code: String, requestId: String) async throws(IntakeHTTPError) -> Response {
        let minted: APIKeyStore.Minted?
        do {
            minted = try await keys.mint(agency: code)
        } catch {
            logger.error("minting an API key failed", metadata: ["error": "\(error)"])
            throw .databaseUnavailable
        }
        guard let minted else {
            throw IntakeHTTPError(status: .notFound, code: "unknown_agency", reason: "agency: \"\(code)\" is not a registered agency")
        }
        logger.notice("API key minted", metadata: ["civic.agency": "\(code)", "civic.key.id": "\(minted.key.id)"])
        return HTTPResponses.json(
            .created,
            MintedAPIKey(agency: code, keyId: minted.key.id, key: minted.plaintext),
            requestId: requestId
        )
    }

    private func revokeKey(_ code: String, keyId: String, requestId: String) async throws(IntakeHTTPError) -> Response {
        let unknown = IntakeHTTPError(
            status: .notFound,
            code: "unknown_key",
            reason: "keyId: \"\(keyId)\" is not an API key of agency \"\(code)\""
        )
        // Key ids are 16 lower-case hex digits; anything else cannot name a key.
        guard keyId.utf8.count == 16, keyId.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
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

    private static func isValidCode(_ code: String) -> Bool {
        (1...100).contains(code.count)
            && code.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
    }
}
