import CivicModels
import CivicRuntime
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics

/// The citizen-facing form of each instrument with a form key (``FormKeyStore``):
/// - `GET /forms/{key}`: the hosted page, a plain HTML form that works without JavaScript, in the instrument's
///   languages (`?lang=`, else `Accept-Language`), with a link to switch;
/// - `GET /forms/{key}/fragment`: the form alone, for the embed script on a page of an allowed origin (CORS);
/// - `GET /forms/{key}/embed.js`: the form rendered inside a script (``KeyedEmbedScript``), for a page of an allowed
///   origin that loads it with `crossorigin` (CORS): the embed in one request;
/// - `POST /forms/{key}`: a response, URL-encoded from the plain form (answered with HTML) or JSON from the
///   script (answered with a ``FormAnswer``), checked for the form token, the fill time and the origin, then
///   validated and published exactly as `POST /v1/responses` does, for the form key's instrument only;
/// - `GET /forms/embed.js`: the embed script.
///
/// The GET responses are gzipped for a client that accepts it (``FormCompression``).
struct FormEndpoint: Sendable {
    let keys: FormKeyStore
    let instruments: InstrumentRegistry
    let ledger: FormTokenLedger
    let limiter: RateLimiter
    let processor: SubmissionProcessor<SubmissionItemValidator>
    let hasher: SubmitterHasher
    let trustedProxies: [IPNetwork]
    let configuration: FormConfiguration
    let tokenKey: SymmetricKey
    let script: EmbedScript
    let logger: Logger

    private let outcomes = CounterFamily(label: "civic_intake_form_submissions_total")

    func register(on router: some RouterMethods<IntakeRequestContext>) {
        router.get("forms/embed.js") { request, _ in script.response(for: request) }
        router.get("forms/:key") { request, context in await page(request, context: context) }
        router.get("forms/:key/fragment") { request, context in await fragment(request, context: context) }
        router.get("forms/:key/embed.js") { request, context in await keyedScript(request, context: context) }
        router.on("forms/:key", method: .options) { request, context in await preflight(request, context: context) }
        router.post("forms/:key") { request, context in await submit(request, context: context) }
    }

    // MARK: - Pages

    private func page(_ request: Request, context: IntakeRequestContext) async -> Response {
        let found: (form: FormKeyStore.Form, instrument: InstrumentDefinition, key: String)
        do throws(APIError) { found = try await load(context) } catch { return notFoundPage(error) }
        let language = FormLanguage.choose(
            for: found.instrument,
            requested: request.uri.queryParameters.get("lang"),
            accept: request.headers[.acceptLanguage]
        )
        let page = makePage(found, language: language, values: FormFields(), state: .empty, token: nil, eventId: nil)
        return html(.ok, page.document(), form: found.form, compressingFor: request)
    }

    private func fragment(_ request: Request, context: IntakeRequestContext) async -> Response {
        let found: (form: FormKeyStore.Form, instrument: InstrumentDefinition, key: String)
        do throws(APIError) { found = try await load(context) } catch { return error.response() }
        let origin = OriginCheck(request: request, allowed: found.form.allowedOrigins)
        guard origin.permitted else { return refusedOrigin(origin) }
        let language = FormLanguage.choose(
            for: found.instrument,
            requested: request.uri.queryParameters.get("lang"),
            accept: request.headers[.acceptLanguage]
        )
        let page = makePage(found, language: language, values: FormFields(), state: .empty, token: nil, eventId: nil)
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .vary: "Origin"]
        origin.allow(&headers)
        let markup = page.fragment(headingLevel: Self.headingLevel(request))
        return FormCompression.response(.ok, headers: headers, bytes: Array(markup.utf8), for: request)
    }

    /// The form inside a script: the fragment's markup and origin rules, and a browser must load it in CORS mode
    /// (`crossorigin`), so that its `Origin` is checked and the script runs only on a listed origin's page. A
    /// script loaded without CORS carries no `Origin`; it is refused by `Sec-Fetch-Mode` and, in a browser without
    /// that, by `Cross-Origin-Resource-Policy: same-origin`. A client that is no browser (no `Origin`, no
    /// `Sec-Fetch-Mode`) gets it, as it gets the hosted page and the fragment.
    private func keyedScript(_ request: Request, context: IntakeRequestContext) async -> Response {
        let found: (form: FormKeyStore.Form, instrument: InstrumentDefinition, key: String)
        do throws(APIError) { found = try await load(context) } catch { return error.response() }
        let origin = OriginCheck(request: request, allowed: found.form.allowedOrigins)
        guard origin.permitted else { return refusedOrigin(origin) }
        let mode = request.headers[.secFetchMode]?.lowercased()
        let site = request.headers[.secFetchSite]?.lowercased()
        if mode == "no-cors", site != "same-origin" {
            return APIError(
                .forbidden,
                code: .originNotAllowed,
                reason: "the form's script must be loaded with crossorigin=\"anonymous\" so that its page's origin can be checked"
            ).response()
        }
        let language = FormLanguage.choose(
            for: found.instrument,
            requested: request.uri.queryParameters.get("lang"),
            accept: request.headers[.acceptLanguage]
        )
        let page = makePage(found, language: language, values: FormFields(), state: .empty, token: nil, eventId: nil)
        let script = KeyedEmbedScript.render(fragment: page.fragment(headingLevel: Self.headingLevel(request)))
        var headers: HTTPFields = [
            .contentType: "text/javascript; charset=utf-8", .cacheControl: "no-store", .vary: "Origin",
            .xContentTypeOptions: "nosniff", .crossOriginResourcePolicy: "same-origin",
        ]
        origin.allow(&headers)
        return FormCompression.response(.ok, headers: headers, bytes: Array(script.utf8), for: request)
    }

    /// The form's heading level in the host page, `?h=` (1-5), 2 by default.
    private static func headingLevel(_ request: Request) -> Int {
        request.uri.queryParameters.get("h").flatMap { Int($0) }.map { min(max($0, 1), 5) } ?? 2
    }

    private func preflight(_ request: Request, context: IntakeRequestContext) async -> Response {
        let found: (form: FormKeyStore.Form, instrument: InstrumentDefinition, key: String)
        do throws(APIError) { found = try await load(context) } catch { return error.response() }
        let origin = OriginCheck(request: request, allowed: found.form.allowedOrigins)
        guard origin.permitted else { return refusedOrigin(origin) }
        var headers: HTTPFields = [.vary: "Origin", .accessControlAllowMethods: "GET, POST", .accessControlAllowHeaders: "Content-Type"]
        headers[.accessControlMaxAge] = "600"
        origin.allow(&headers)
        return Response(status: .noContent, headers: headers)
    }

    // MARK: - Submissions

    private func submit(_ request: Request, context: IntakeRequestContext) async -> Response {
        let now = Date()
        let requestId = HTTPRequestID.make()
        let isJSON = request.headers[.contentType]?.lowercased().hasPrefix("application/json") ?? false
        let found: (form: FormKeyStore.Form, instrument: InstrumentDefinition, key: String)
        do throws(APIError) { found = try await load(context) } catch {
            return isJSON ? error.with(requestId: requestId).response() : notFoundPage(error)
        }
        let origin = OriginCheck(request: request, allowed: found.form.allowedOrigins)
        guard origin.permitted else {
            outcomes.counter([("outcome", "origin_not_allowed")]).increment()
            return refusedOrigin(origin)
        }
        let body: [UInt8]
        do throws(APIError) { body = try await HTTPResponses.body(of: request, limit: configuration.maxBodyBytes) } catch {
            return error.with(requestId: requestId).response()
        }
        guard let fields = isJSON ? FormFields(json: body) : FormFields(urlEncoded: body) else {
            return APIError.badRequest(.invalidValue, "the body is not a form's fields").with(requestId: requestId).response()
        }
        let language = FormLanguage.choose(
            for: found.instrument,
            requested: fields.first("lang") ?? request.uri.queryParameters.get("lang"),
            accept: request.headers[.acceptLanguage]
        )
        let eventId = fields.eventId ?? "form-" + UUID().uuidString.lowercased()
        let outcome = await decide(
            fields,
            found: found,
            eventId: eventId,
            language: language,
            request: request,
            context: context,
            requestId: requestId,
            now: now
        )
        outcomes.counter([("outcome", outcome.label)]).increment()
        if isJSON {
            var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store", .vary: "Origin"]
            headers[HTTPRequestID.header] = requestId
            origin.allow(&headers)
            let answer = outcome.answer(
                eventId: eventId,
                strings: language.strings,
                freshToken: freshToken(for: outcome, form: found.form, fields: fields, now: now)
            )
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data = (try? encoder.encode(answer)) ?? Data("{}".utf8)
            return Response(status: outcome.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        let state: FormPage.State =
            switch outcome {
            case .received: .thanks
            case .refused(_, _, let errors): .errors(errors(language.strings))
            }
        let page = makePage(
            found,
            language: language,
            values: fields,
            state: state,
            token: freshToken(for: outcome, form: found.form, fields: fields, now: now),
            eventId: eventId
        )
        return html(outcome.status, page.document(), form: found.form)
    }

    /// What became of a submission.
    enum Outcome: Sendable {
        /// Published (or received before): thanks.
        case received(duplicate: Bool)
        /// Refused with `code`, answered with `status` and the errors in the visitor's language.
        case refused(code: String, status: HTTPResponse.Status, errors: @Sendable (FormStrings) -> [FormError])

        var status: HTTPResponse.Status {
            switch self {
            case .received: .ok
            case .refused(_, let status, _): status
            }
        }

        var label: String {
            switch self {
            case .received(let duplicate): duplicate ? "duplicate" : "accepted"
            case .refused(let code, _, _): code
            }
        }

        func answer(eventId: String, strings: FormStrings, freshToken: String?) -> FormAnswer {
            switch self {
            case .received(let duplicate):
                FormAnswer(status: duplicate ? "duplicate" : "accepted", eventId: eventId, message: strings.thanksTitle)
            case .refused(let code, _, let errors):
                FormAnswer(
                    status: "refused",
                    eventId: eventId,
                    code: code,
                    errors: errors(strings).map { FormAnswer.Problem(field: $0.field, message: $0.message) },
                    token: freshToken
                )
            }
        }
    }

    private func decide(
        _ fields: FormFields,
        found: (form: FormKeyStore.Form, instrument: InstrumentDefinition, key: String),
        eventId: String,
        language: FormLanguage,
        request: Request,
        context: IntakeRequestContext,
        requestId: String,
        now: Date
    ) async -> Outcome {
        func refuse(_ code: String, _ status: HTTPResponse.Status, field: String? = nil) -> Outcome {
            .refused(code: code, status: status, errors: { [FormError(field: field, message: $0.error(code))] })
        }
        switch limiter.take(keyId: "form-" + found.form.keyId) {
        case .allow: break
        case .limit, .exceedsCapacity: return refuse("rate_limited", .tooManyRequests)
        }
        // The token: signed by this service for this form, old enough to have been read, young enough to be fresh.
        guard let text = fields.first("token"), let token = FormToken(verifying: text, key: tokenKey), token.formKeyId == found.form.keyId else {
            return refuse(FormTokenProblem.invalid.rawValue, .forbidden)
        }
        let age = Int(now.timeIntervalSince1970.rounded(.down)) - token.issuedAt
        if age < -5 { return refuse(FormTokenProblem.invalid.rawValue, .forbidden) }
        if age > configuration.tokenLifetimeSeconds { return refuse(FormTokenProblem.expired.rawValue, .unprocessableContent) }
        if age < configuration.minimumFillSeconds { return refuse(FormTokenProblem.tooFast.rawValue, .unprocessableContent) }
        do {
            guard try await ledger.spend(token, eventId: eventId, now: now) else { return refuse(FormTokenProblem.spent.rawValue, .conflict) }
        } catch {
            logger.error("recording a form token failed", metadata: ["error": "\(error)"])
            return refuse("unavailable", .serviceUnavailable)
        }
        // When the response was made: the device's time when it is after the token was issued and not in the
        // future (a response kept offline is sent later), else now.
        let issued = Date(timeIntervalSince1970: TimeInterval(token.issuedAt))
        let occurredAt = fields.first("occurredAt").flatMap(Timestamp.parse).flatMap { $0 >= issued && $0 <= now ? $0 : nil } ?? now
        let event = fields.event(eventId: eventId, occurredAt: occurredAt, form: found.form, instrument: found.instrument, locale: language.tag)
        let address =
            ClientAddress.resolve(
                peer: context.remoteAddress?.ipAddress,
                forwardedFor: request.headers.filter { $0.name.canonicalName == "x-forwarded-for" }.map(\.value),
                trusted: trustedProxies
            ) ?? (trustedProxies.isEmpty ? context.remoteAddress?.ipAddress : nil)
        let submission = SubmissionContext(
            agency: found.form.agency,
            submitter: address.map { hasher.submitter(forAddress: $0) },
            requestId: requestId,
            now: now
        )
        let result: SubmissionResult
        do {
            result = try await processor.process(body: event, in: submission)
        } catch {
            return refuse("unavailable", .serviceUnavailable)
        }
        guard let item = result.results.first else { return refuse("unavailable", .serviceUnavailable) }
        switch item.status {
        case .accepted: return .received(duplicate: false)
        case .duplicate: return .received(duplicate: true)
        case .rejected:
            let code = item.code ?? "generic"
            let field = item.field
            return .refused(
                code: code,
                status: .unprocessableContent,
                errors: { strings in
                    let key =
                        switch (code, field) {
                        case (_, "answers.trust"?), (_, "answers.trust.value"?), (_, "answers.trust.scale"?): "answers.trust"
                        case (_, "answers"?): "answers"
                        case ("comment_too_long", _): "comment_too_long"
                        default: "generic"
                        }
                    return [FormError(field: key == "generic" ? nil : field, message: strings.error(key))]
                }
            )
        }
    }

    /// The token the answer carries: a fresh one unless the refusal was only about timing (the same token then
    /// works once the minimum fill time has passed).
    private func freshToken(for outcome: Outcome, form: FormKeyStore.Form, fields: FormFields, now: Date) -> String? {
        switch outcome {
        case .received: return nil
        case .refused(let code, _, _):
            if code == FormTokenProblem.tooFast.rawValue || code == "unavailable", let token = fields.first("token") { return token }
            return FormToken(formKeyId: form.keyId, now: now).signed(with: tokenKey)
        }
    }

    // MARK: - Helpers

    private func makePage(
        _ found: (form: FormKeyStore.Form, instrument: InstrumentDefinition, key: String),
        language: FormLanguage,
        values: FormFields,
        state: FormPage.State,
        token: String?,
        eventId: String?
    ) -> FormPage {
        FormPage(
            form: found.form,
            formKey: found.key,
            instrument: found.instrument,
            language: language,
            token: token ?? FormToken(formKeyId: found.form.keyId, now: Date()).signed(with: tokenKey),
            eventId: eventId ?? "form-" + UUID().uuidString.lowercased(),
            values: values,
            state: state,
            minimumFillSeconds: configuration.minimumFillSeconds
        )
    }

    /// The form key in the path, its form and the instrument, or a 404 (`unknown_form`) / 503.
    private func load(
        _ context: IntakeRequestContext
    ) async throws(APIError) -> (form: FormKeyStore.Form, instrument: InstrumentDefinition, key: String) {
        let key = context.parameters.get("key") ?? ""
        do {
            guard let form = try await keys.authenticate(key),
                let instrument = try await instruments.instrument(agency: form.agency, service: form.service, channel: form.channel)
            else { throw APIError(.notFound, code: .unknownForm, reason: "no form has this key, or its instrument was retired") }
            return (form, instrument, key)
        } catch let error as APIError {
            throw error
        } catch {
            logger.error("reading a form key failed", metadata: ["error": "\(error)"])
            throw .databaseUnavailable
        }
    }

    /// A page of the form; gzipped for `request` when given (a GET's page, which reflects nothing the request chose).
    private func html(_ status: HTTPResponse.Status, _ text: String, form: FormKeyStore.Form, compressingFor request: Request? = nil) -> Response {
        let ancestors = (["'self'"] + form.allowedOrigins).joined(separator: " ")
        let headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy:
                "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors \(ancestors)",
        ]
        if let request { return FormCompression.response(status, headers: headers, bytes: Array(text.utf8), for: request) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func notFoundPage(_ error: APIError) -> Response {
        let text = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Form not found</title></head><body><main><h1>Form not found</h1><p lang="en">This form does not exist or is no longer open.</p>
            <p lang="es">Este formulario no existe o ya no está abierto.</p></main></body></html>
            """
        return Response(
            status: error.status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    private func refusedOrigin(_ origin: OriginCheck) -> Response {
        APIError(
            .forbidden,
            code: .originNotAllowed,
            reason: "origin: \(origin.origin ?? "") is not one of this form's allowed origins"
        ).response()
    }
}

/// The JSON answer of `POST /forms/{key}` to the embed script.
struct FormAnswer: Codable, Sendable, Equatable {
    /// `accepted`, `duplicate` (received before: counted once) or `refused`.
    var status: String
    /// The response's event id.
    var eventId: String
    /// The refusal's code (`form_too_fast`, `form_token_invalid`, a validation code such as `missing_field`).
    var code: String?
    /// The thanks, in the visitor's language.
    var message: String?
    /// What to show, in the visitor's language.
    var errors: [Problem]?
    /// A token to send the response again with, after a refusal.
    var token: String?

    /// One error.
    struct Problem: Codable, Sendable, Equatable {
        var field: String?
        var message: String
    }

    init(status: String, eventId: String, code: String? = nil, message: String? = nil, errors: [Problem]? = nil, token: String? = nil) {
        self.status = status
        self.eventId = eventId
        self.code = code
        self.message = message
        self.errors = errors
        self.token = token
    }
}

/// A request's `Origin` against a form's allow-list. No `Origin` (a navigation, a non-browser client) and the
/// service's own origin (the hosted page) are permitted; any other must be listed.
struct OriginCheck: Sendable {
    /// The `Origin` header, when sent.
    var origin: String?
    /// Whether the request may go on.
    var permitted: Bool
    /// Whether it is another listed origin, which CORS headers then name.
    var crossOrigin: Bool

    init(request: Request, allowed: [String]) {
        origin = request.headers[.origin]
        guard let origin, origin != "null" else {
            permitted = origin == nil
            crossOrigin = false
            return
        }
        let normalised = FormKeyStore.origin(origin)
        let authority = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init)
        if let authority, let host = request.head.authority, authority.lowercased() == host.lowercased() {
            permitted = true
            crossOrigin = false
        } else {
            permitted = normalised.map(allowed.contains) ?? false
            crossOrigin = permitted
        }
    }

    /// Adds `Access-Control-Allow-Origin` for a listed cross origin.
    func allow(_ headers: inout HTTPFields) {
        if crossOrigin, let origin { headers[.accessControlAllowOrigin] = origin }
    }
}

extension APIError.Code {
    /// No form has this key, or its instrument was retired.
    static let unknownForm: Self = "unknown_form"
    /// The request came from a page whose origin is not on the form's allow-list.
    static let originNotAllowed: Self = "origin_not_allowed"
}

extension HTTPField.Name {
    /// What a browser's request is for (`cors`, `no-cors`, `navigate`), in Fetch Metadata.
    static let secFetchMode = HTTPField.Name("Sec-Fetch-Mode")!
    /// How the requesting page's site relates to the request's (`same-origin`, `same-site`, `cross-site`, `none`).
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}
