import CivicModels
import CivicRuntime
import Foundation
import Hummingbird
import Logging

/// The body of `POST /v1/admin/agencies/{code}/instruments/{service}/{channel}/form-keys`.
package struct FormKeyRequest: Codable, Sendable, Hashable {
    /// The origins (`https://www.irs.gov`) whose pages may embed the form; the hosted page always works.
    package var allowedOrigins: [String]

    /// Creates the body.
    package init(allowedOrigins: [String]) {
        self.allowedOrigins = allowedOrigins
    }
}

/// The answer of minting a form key: the key (public: it goes into the agency's page) and how to use it.
package struct MintedFormKey: Codable, Sendable, Hashable {
    package var agency: String
    package var service: String
    package var channel: String
    /// The key's id, for revocation.
    package var keyId: String
    /// The form key (`cpf_…`): it can only submit this instrument's responses.
    package var key: String
    /// The allowed origins, normalised.
    package var allowedOrigins: [String]
    /// The hosted page's path (`/forms/{key}`).
    package var pagePath: String
    /// The one line to put on a page of an allowed origin, with `INTAKE` the service's public address: the form's
    /// own script (`/forms/{key}/embed.js`, loaded with `crossorigin`), the form in one request. Add `?lang=` to
    /// choose the language, `&h=` the heading level.
    package var embed: String
}

extension APIError.Code {
    /// The agency has no form key with this id.
    static let unknownFormKey: Self = "unknown_form_key"
}

/// The form key routes, behind the admin token:
/// - `POST /v1/admin/agencies/{code}/instruments/{service}/{channel}/form-keys` (a ``FormKeyRequest``) mints
///   the public key of the instrument's hosted form and embed (201 ``MintedFormKey``; 404 `unknown_instrument`);
/// - `DELETE /v1/admin/agencies/{code}/form-keys/{keyId}` revokes one (204; 404 `unknown_form_key`).
extension AdminEndpoints {
    func registerFormKeyRoutes(on router: some RouterMethods<IntakeRequestContext>) {
        router.post("v1/admin/agencies/:code/instruments/:service/:channel/form-keys") { request, context in
            await answer(request, context) { (code, requestId) async throws(APIError) in
                try await mintFormKey(try Self.instrumentKey(code, context), request: request, requestId: requestId)
            }
        }
        router.delete("v1/admin/agencies/:code/form-keys/:keyId") { request, context in
            await answer(request, context) { (code, requestId) async throws(APIError) in
                try await revokeFormKey(code, keyId: context.parameters.get("keyId") ?? "", requestId: requestId)
            }
        }
    }

    private func mintFormKey(_ key: InstrumentRegistry.Key, request: Request, requestId: String) async throws(APIError) -> Response {
        let bytes = try await HTTPResponses.body(of: request, limit: 64 << 10)
        let body: FormKeyRequest
        do {
            body = try JSONDecoder().decode(FormKeyRequest.self, from: Data(bytes))
        } catch let error as DecodingError {
            let rejection = ResponseValidator.rejection(for: error, eventId: nil)
            throw .badRequest(rejection.code, rejection.reason, field: rejection.field)
        } catch {
            throw .badRequest(.notJSON, "the body is not JSON")
        }
        guard body.allowedOrigins.count <= 50 else {
            throw .badRequest(.invalidValue, "allowedOrigins: list at most 50 origins", field: "allowedOrigins")
        }
        var origins: [String] = []
        for text in body.allowedOrigins {
            guard let origin = FormKeyStore.origin(text) else {
                throw .badRequest(
                    .invalidValue,
                    "allowedOrigins: \"\(text)\" is not an origin (https://host or https://host:port, no path)",
                    field: "allowedOrigins"
                )
            }
            if !origins.contains(origin) { origins.append(origin) }
        }
        let minted: (plaintext: String, form: FormKeyStore.Form)?
        do {
            minted = try await formKeys.mint(for: key, allowedOrigins: origins)
        } catch {
            logger.error("minting a form key failed", metadata: ["error": "\(error)"])
            throw .databaseUnavailable
        }
        guard let minted else {
            throw APIError(
                .notFound,
                code: .unknownInstrument,
                reason: "\(key.agency) has no instrument for service \"\(key.service)\" on channel \(key.channel.rawValue)"
            )
        }
        logger.notice(
            "form key minted",
            metadata: [
                "civic.agency": "\(key.agency)", "civic.service": "\(key.service)", "civic.channel": "\(key.channel.rawValue)",
                "civic.form_key_id": "\(minted.form.keyId)", "civic.allowed_origins": "\(origins)",
            ]
        )
        let answer = MintedFormKey(
            agency: key.agency,
            service: key.service,
            channel: key.channel.rawValue,
            keyId: minted.form.keyId,
            key: minted.plaintext,
            allowedOrigins: origins,
            pagePath: "/forms/\(minted.plaintext)",
            embed: "<script src=\"https://INTAKE/forms/\(minted.plaintext)/embed.js\" crossorigin=\"anonymous\" async></script>"
        )
        return HTTPResponses.json(.created, answer, requestId: requestId)
    }

    private func revokeFormKey(_ code: String, keyId: String, requestId: String) async throws(APIError) -> Response {
        let unknown = APIError(.notFound, code: .unknownFormKey, reason: "keyId: \"\(keyId)\" is not a form key of agency \"\(code)\"")
        guard BearerSecret.isKeyId(keyId) else { throw unknown }
        let revoked: Bool
        do {
            revoked = try await formKeys.revoke(agency: code, keyId: keyId)
        } catch {
            logger.error("revoking a form key failed", metadata: ["error": "\(error)"])
            throw .databaseUnavailable
        }
        guard revoked else { throw unknown }
        logger.notice("form key revoked", metadata: ["civic.agency": "\(code)", "civic.form_key_id": "\(keyId)"])
        return Response(status: .noContent, headers: [HTTPRequestID.header: requestId])
    }
}
