import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Crypto
import Foundation
import Testing

@testable import SurveyIntake

/// The hosted form and its embed against the real service (Tansu, PostgreSQL): form keys, the origin allow-list,
/// the signed single-use form token and the minimum fill time, both languages, and responses that reach
/// `intake.responses` through the same validation and pipeline as `POST /v1/responses`.
@Suite(.startsProcesses, .serialized, .hangGuard)
struct FormEndpointTests {
    static let tokenKey = Array("form-token-key-for-tests-0123456789abcdef".utf8)
    static let embedder = "https://www.example.gov"
    static let adjust: @Sendable (inout IntakeHTTPConfiguration) -> Void = { $0.forms.tokenKey = tokenKey }
    /// The test key and no minimum fill time, to answer with a token as soon as it is served.
    static let adjustWithoutFillTime: @Sendable (inout IntakeHTTPConfiguration) -> Void = {
        $0.forms.tokenKey = tokenKey
        $0.forms.minimumFillSeconds = 0
    }

    /// Mints a form key for IRS free-file on kiosks through the admin route.
    static func mintFormKey(_ harness: IntakeHTTPHarness, origins: [String] = [embedder]) async throws -> MintedFormKey {
        let body = try JSONEncoder().encode(FormKeyRequest(allowedOrigins: origins))
        let reply = try await harness.send(
            "POST",
            "/v1/admin/agencies/IRS/instruments/free-file/kiosk/form-keys",
            body: Array(body),
            bearer: IntakeHTTPHarness.adminToken
        )
        guard reply.status == 201 else {
            throw TestEnvironmentError("minting a form key: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return try reply.decode(MintedFormKey.self)
    }

    /// A token for `keyId` signed with the test key, issued `age` seconds ago (a person who took that long).
    static func token(_ keyId: String, age: Int, key: [UInt8] = tokenKey) -> String {
        let issued = Int(Date().timeIntervalSince1970) - age
        return FormToken(formKeyId: keyId, issuedAt: issued, nonce: Hex16.random()).signed(with: SymmetricKey(data: key))
    }

    /// POSTs URL-encoded `fields` as the plain form does.
    static func postForm(
        _ harness: IntakeHTTPHarness,
        _ key: String,
        _ fields: [(String, String)],
        headers: [String: String] = [:]
    ) async throws
        -> IntakeHTTPHarness.Reply
    {
        let body = fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        return try await harness.send(
            "POST",
            "/forms/\(key)",
            body: Array(body.utf8),
            headers: ["Content-Type": "application/x-www-form-urlencoded"].merging(headers) { _, new in new }
        )
    }

    /// POSTs `object` as the embed script does.
    static func postJSON(
        _ harness: IntakeHTTPHarness,
        _ key: String,
        _ object: [String: Any],
        origin: String? = embedder
    ) async throws
        -> (IntakeHTTPHarness.Reply, FormAnswer?)
    {
        let body = try JSONSerialization.data(withJSONObject: object)
        let reply = try await harness.send("POST", "/forms/\(key)", body: Array(body), headers: origin.map { ["Origin": $0] } ?? [:])
        return (reply, try? reply.decode(FormAnswer.self))
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The stored row of `eventId` once the stream processor has stored it (polled until it is there).
    static func stored(_ harness: IntakeHTTPHarness, _ eventId: String) async throws -> (payload: String, spam: Bool)? {
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            let rows = try await harness.postgres.query(
                "SELECT payload::text AS p, spam_flagged FROM intake.responses WHERE event_id = $1",
                [eventId]
            )
            if let row = rows.first { return (try row.require("p"), try row.require("spam_flagged")) }
            try await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }

    @Test func formKeysAreMintedPerInstrumentStoredAsDigestsAndCannotSubmitTheAPI() async throws {
        try await IntakeHTTPHarness.run(adjusting: Self.adjust) { harness in
            let minted = try await Self.mintFormKey(harness, origins: ["https://WWW.Example.gov/", "https://www.example.gov"])
            #expect(minted.key.hasPrefix("cpf_\(minted.keyId)_"))
            #expect(minted.allowedOrigins == ["https://www.example.gov"])
            #expect(minted.embed.contains("/forms/\(minted.key)/embed.js"))
            let rows = try await harness.postgres.query("SELECT row_to_json(k)::text AS everything FROM intake.form_keys k")
            let secret = String(minted.key.dropFirst("cpf_\(minted.keyId)_".count))
            #expect(try rows.first?.require("everything", as: String.self).contains(secret) == false)

            // An instrument that is not registered, an origin with a path: refused.
            let none = try await harness.send(
                "POST",
                "/v1/admin/agencies/SSA/instruments/retirement/web/form-keys",
                body: Array(#"{"allowedOrigins": []}"#.utf8),
                bearer: IntakeHTTPHarness.adminToken
            )
            #expect(none.status == 404)
            #expect(try none.decode(APIErrorBody.self).code == "unknown_instrument")
            let path = try await harness.send(
                "POST",
                "/v1/admin/agencies/IRS/instruments/free-file/kiosk/form-keys",
                body: Array(#"{"allowedOrigins": ["https://www.example.gov/page"]}"#.utf8),
                bearer: IntakeHTTPHarness.adminToken
            )
            #expect(path.status == 400)
            #expect(
                try await harness.send("POST", "/v1/admin/agencies/IRS/instruments/free-file/kiosk/form-keys", body: Array("{}".utf8)).status == 401
            )

            // The public form key is no API key.
            let api = try await harness.submit(IntakeHTTPHarness.response("form-key-as-api-key"), key: minted.key)
            #expect(api.status == 401)

            // Revoked: the page is gone at once.
            #expect(try await harness.send("GET", "/forms/\(minted.key)").status == 200)
            let revoke = try await harness.send("DELETE", "/v1/admin/agencies/IRS/form-keys/\(minted.keyId)", bearer: IntakeHTTPHarness.adminToken)
            #expect(revoke.status == 204)
            #expect(try await harness.send("GET", "/forms/\(minted.key)").status == 404)
            #expect(
                try await harness.send("DELETE", "/v1/admin/agencies/SSA/form-keys/\(minted.keyId)", bearer: IntakeHTTPHarness.adminToken).status
                    == 404
            )
        }
    }

    @Test func theHostedPageRendersTheInstrumentInEnglishAndSpanish() async throws {
        try await IntakeHTTPHarness.run(adjusting: Self.adjust) { harness in
            let minted = try await Self.mintFormKey(harness)
            let english = try await harness.send("GET", "/forms/\(minted.key)")
            #expect(english.status == 200)
            #expect(english.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(english.headers["content-security-policy"]?.contains("frame-ancestors 'self' https://www.example.gov") == true)
            let page = String(decoding: english.body, as: UTF8.self)
            #expect(page.contains("<html lang=\"en\">"))
            #expect(page.contains(htmlEscape(IntakeHTTPHarness.kioskInstrument.trustQuestion)))
            #expect(page.contains("OMB Control No. 1545-2278, expires 2099-12-31"))
            #expect(page.contains("<legend>") && page.contains("<label for="))
            // Only the options the instrument offers: went well effectiveness, ease, efficiency, transparency;
            // didn't go well ease, efficiency.
            #expect(page.contains("name=\"wentWell\" value=\"transparency\""))
            #expect(!page.contains("name=\"wentWell\" value=\"humanity\""))
            #expect(!page.contains("name=\"didNotGoWell\" value=\"transparency\""))
            #expect(page.contains("name=\"trust\" value=\"1\"") && page.contains("name=\"trust\" value=\"0\""))
            #expect(page.contains("hreflang=\"es\"") && page.contains("Ver en español"))
            #expect(page.contains("name=\"token\" value=\"v1.\(minted.keyId)."))

            let byQuery = String(decoding: try await harness.send("GET", "/forms/\(minted.key)?lang=es").body, as: UTF8.self)
            let byHeader = String(
                decoding: try await harness.send("GET", "/forms/\(minted.key)", headers: ["Accept-Language": "es-MX,es;q=0.9,en;q=0.5"]).body,
                as: UTF8.self
            )
            for spanish in [byQuery, byHeader] {
                #expect(spanish.contains("<html lang=\"es\">"))
                #expect(spanish.contains("Enviar") && spanish.contains("¿Qué salió bien?"))
                #expect(spanish.contains("Número de control de la OMB 1545-2278"))
                #expect(spanish.contains("View in English"))
            }
            // A language the instrument does not offer falls back to its first.
            let french = String(decoding: try await harness.send("GET", "/forms/\(minted.key)?lang=fr").body, as: UTF8.self)
            #expect(french.contains("<html lang=\"en\">"))
            #expect(try await harness.send("GET", "/forms/cpf_0123456789abcdef_\(String(repeating: "0", count: 64))").status == 404)
        }
    }

    @Test func thePlainFormSubmitsInSpanishThroughTheSamePipeline() async throws {
        try await IntakeHTTPHarness.run(adjusting: Self.adjust) { harness in
            let minted = try await Self.mintFormKey(harness)
            let reply = try await Self.postForm(
                harness,
                minted.key,
                [
                    ("token", Self.token(minted.keyId, age: 20)), ("eventId", "form-plain-0001"), ("lang", "es"), ("trust", "1"),
                    ("wentWell", "ease"), ("wentWell", "transparency"), ("didNotGoWell", "efficiency"), ("recommend", "9"),
                    ("comment", "Muy fácil, gracias"), ("website", ""),
                ]
            )
            #expect(reply.status == 200)
            let thanks = String(decoding: reply.body, as: UTF8.self)
            #expect(thanks.contains("Gracias por sus comentarios") && thanks.contains("autofocus"))
            let row = try #require(try await Self.stored(harness, "form-plain-0001"))
            #expect(!row.spam)
            let event = try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data(row.payload.utf8))
            #expect(event.locale == "es")
            #expect(event.agency == "IRS" && event.service == "free-file" && event.channel == .kiosk)
            #expect(event.answers.wentWell == [.ease, .transparency])
            // Hidden by the display logic after thumbs up: not submitted.
            #expect(event.answers.didNotGoWell == nil)
            #expect(event.answers.recommend == 9)
            #expect(event.instrument?.ombControlNumber == "1545-2278")

            // Sending the same page again (a reload of the thanks page) is the same response: a duplicate.
            let again = try await Self.postForm(
                harness,
                minted.key,
                [("token", Self.token(minted.keyId, age: 20)), ("eventId", "form-plain-0001"), ("trust", "1")]
            )
            #expect(again.status == 200)

            // Without the trust answer: the validator's own rejection, shown in Spanish with the focus on it.
            let missing = try await Self.postForm(
                harness,
                minted.key,
                [("token", Self.token(minted.keyId, age: 20)), ("eventId", "form-plain-0002"), ("lang", "es"), ("comment", "hola")]
            )
            #expect(missing.status == 422)
            let page = String(decoding: missing.body, as: UTF8.self)
            #expect(page.contains("Responda la primera pregunta."))
            #expect(page.contains("class=\"cp-errors\"") && page.contains("tabindex=\"-1\" autofocus"))
            #expect(page.contains("aria-invalid=\"true\""))
            #expect(page.contains(">hola</textarea>"))
        }
    }

    @Test func tokensAreSignedSingleUseAndNotTooFast() async throws {
        try await IntakeHTTPHarness.run(adjusting: Self.adjust) { harness in
            let minted = try await Self.mintFormKey(harness)
            let other = try await Self.mintFormKey(harness)
            let answer: [String: Any] = ["trust": "0", "didNotGoWell": ["ease"], "lang": "en"]
            func send(_ token: String?, _ eventId: String) async throws -> (Int, FormAnswer?) {
                var object = answer
                object["eventId"] = eventId
                if let token { object["token"] = token }
                let (reply, decoded) = try await Self.postJSON(harness, minted.key, object)
                return (reply.status, decoded)
            }
            let none = try await send(nil, "form-token-none")
            #expect(none.0 == 403 && none.1?.code == "form_token_invalid")
            let forged = try await send(Self.token(minted.keyId, age: 20, key: Array(repeating: 7, count: 32)), "form-token-forged")
            #expect(forged.0 == 403 && forged.1?.code == "form_token_invalid")
            let otherForm = try await send(Self.token(other.keyId, age: 20), "form-token-other")
            #expect(otherForm.0 == 403 && otherForm.1?.code == "form_token_invalid")
            let fast = try await send(Self.token(minted.keyId, age: 0), "form-token-fast")
            #expect(fast.0 == 422 && fast.1?.code == "form_too_fast")
            #expect(fast.1?.errors?.first?.message == FormStrings.english.error("form_too_fast"))
            let old = try await send(Self.token(minted.keyId, age: 604_800 + 60), "form-token-old")
            #expect(old.0 == 422 && old.1?.code == "form_token_expired")
            let fresh = try #require(old.1?.token)
            #expect(FormToken(verifying: fresh, key: SymmetricKey(data: Self.tokenKey))?.formKeyId == minted.keyId)

            // One token, one response: the same response again is a duplicate (counted once), another is refused.
            let token = Self.token(minted.keyId, age: 20)
            let first = try await send(token, "form-token-once")
            #expect(first.0 == 200 && first.1?.status == "accepted")
            // Once it is stored, a resend is reported as the duplicate it is.
            #expect(try await Self.stored(harness, "form-token-once") != nil)
            let resend = try await send(token, "form-token-once")
            #expect(resend.0 == 200 && resend.1?.status == "duplicate")
            let second = try await send(token, "form-token-twice")
            #expect(second.0 == 409 && second.1?.code == "form_token_spent")
            let counted = try await harness.postgres.query("SELECT count(*) AS n FROM intake.responses WHERE event_id LIKE 'form-token-%'")
            #expect(try counted.first?.require("n", as: Int64.self) == 1)
        }
    }

    @Test func onlyAllowedOriginsMayEmbedOrSubmit() async throws {
        try await IntakeHTTPHarness.run(adjusting: Self.adjust) { harness in
            let minted = try await Self.mintFormKey(harness)
            let allowed = try await harness.send("GET", "/forms/\(minted.key)/fragment?lang=es", headers: ["Origin": Self.embedder])
            #expect(allowed.status == 200)
            #expect(allowed.headers["access-control-allow-origin"] == Self.embedder)
            let fragment = String(decoding: allowed.body, as: UTF8.self)
            #expect(fragment.contains("class=\"cp-form\"") && fragment.contains("lang=\"es\"") && !fragment.contains("<html"))

            let refused = try await harness.send("GET", "/forms/\(minted.key)/fragment", headers: ["Origin": "https://evil.example.com"])
            #expect(refused.status == 403)
            #expect(refused.headers["access-control-allow-origin"] == nil)
            #expect(try refused.decode(APIErrorBody.self).code == "origin_not_allowed")

            let preflight = try await harness.send(
                "OPTIONS",
                "/forms/\(minted.key)",
                headers: ["Origin": Self.embedder, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"]
            )
            #expect(preflight.status == 204 && preflight.headers["access-control-allow-origin"] == Self.embedder)

            let object: [String: Any] = ["token": Self.token(minted.keyId, age: 20), "eventId": "form-origin-evil", "trust": "1"]
            let (post, _) = try await Self.postJSON(harness, minted.key, object, origin: "https://evil.example.com")
            #expect(post.status == 403)
            #expect(try post.decode(APIErrorBody.self).code == "origin_not_allowed")
            let (ok, answer) = try await Self.postJSON(harness, minted.key, object)
            #expect(ok.status == 200 && answer?.status == "accepted")
            #expect(ok.headers["access-control-allow-origin"] == Self.embedder)
        }
    }

    @Test func theHoneypotIsFlaggedLikeEveryOtherResponse() async throws {
        try await IntakeHTTPHarness.run(adjusting: Self.adjust) { harness in
            let minted = try await Self.mintFormKey(harness)
            let reply = try await Self.postForm(
                harness,
                minted.key,
                [("token", Self.token(minted.keyId, age: 20)), ("eventId", "form-honeypot-1"), ("trust", "1"), ("website", "http://spam.example")]
            )
            #expect(reply.status == 200)
            let row = try #require(try await Self.stored(harness, "form-honeypot-1"))
            #expect(row.spam)
        }
    }

    /// The markup inside a per-key script: its one string literal, decoded as the JSON it also is.
    static func markup(ofScript body: Data) throws -> String {
        let text = String(decoding: body, as: UTF8.self)
        let opening = try #require(text.range(of: "})(\""))
        #expect(text.hasSuffix("\");\n"))
        let literal = text[text.index(before: opening.upperBound)...].dropLast(3)
        return try #require(try JSONSerialization.jsonObject(with: Data(literal.utf8), options: .fragmentsAllowed) as? String)
    }

    @Test func theFormsOwnScriptCarriesItRenderedWithAFreshSingleUseToken() async throws {
        try await IntakeHTTPHarness.run(adjusting: Self.adjustWithoutFillTime) { harness in
            let minted = try await Self.mintFormKey(harness)
            #expect(minted.embed == "<script src=\"https://INTAKE/forms/\(minted.key)/embed.js\" crossorigin=\"anonymous\" async></script>")
            let browser = ["Origin": Self.embedder, "Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "cross-site", "Accept-Encoding": "gzip"]
            let path = "/forms/\(minted.key)/embed.js?lang=es&h=3"
            let first = try await harness.send("GET", path, headers: browser)
            #expect(first.status == 200)
            #expect(first.headers["content-type"] == "text/javascript; charset=utf-8")
            #expect(first.headers["cache-control"] == "no-store")
            #expect(first.headers["access-control-allow-origin"] == Self.embedder)
            #expect(first.headers["vary"] == "Origin, Accept-Encoding")
            #expect(first.headers["x-content-type-options"] == "nosniff")
            #expect(first.headers["cross-origin-resource-policy"] == "same-origin")
            // Compressed on the wire; the client (libcurl) decodes it.
            #expect(first.headers["content-encoding"] == "gzip")
            let markup = try Self.markup(ofScript: first.body)
            #expect(markup.hasPrefix("<div class=\"cp-form\"") && markup.contains("lang=\"es\"") && markup.contains("data-cp-h=\"3\""))
            #expect(markup.contains("<h3 id=") && markup.contains("Enviar"))

            // Each load carries its own token, signed for this form, single use.
            func token(_ markup: String) throws -> String {
                let start = try #require(markup.range(of: "name=\"token\" value=\""))
                return String(markup[start.upperBound...].prefix { $0 != "\"" })
            }
            let second = try Self.markup(ofScript: try await harness.send("GET", path, headers: browser).body)
            let issued = try token(markup)
            #expect(issued != (try token(second)))
            #expect(FormToken(verifying: issued, key: SymmetricKey(data: Self.tokenKey))?.formKeyId == minted.keyId)
            let answer: [String: Any] = ["token": issued, "eventId": "form-script-0001", "trust": "1", "lang": "es"]
            let (accepted, decoded) = try await Self.postJSON(harness, minted.key, answer)
            #expect(accepted.status == 200 && decoded?.status == "accepted")
            var again = answer
            again["eventId"] = "form-script-0002"
            let (spent, refusal) = try await Self.postJSON(harness, minted.key, again)
            #expect(spent.status == 409 && refusal?.code == "form_token_spent")

            // Without gzip in Accept-Encoding: the same script, uncompressed.
            let plain = try await harness.send("GET", path, headers: browser.merging(["Accept-Encoding": "identity"]) { _, new in new })
            #expect(plain.status == 200 && plain.headers["content-encoding"] == nil)
            #expect(try Self.markup(ofScript: plain.body).contains("Enviar"))

            // As strict as the fragment: another origin is refused, without CORS headers.
            let evil = try await harness.send("GET", path, headers: browser.merging(["Origin": "https://evil.example.com"]) { _, new in new })
            #expect(evil.status == 403 && evil.headers["access-control-allow-origin"] == nil)
            #expect(try evil.decode(APIErrorBody.self).code == "origin_not_allowed")
            // A script tag without crossorigin sends no Origin: refused, so no page can run it unchecked.
            let noCORS = try await harness.send("GET", path, headers: ["Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Site": "cross-site"])
            #expect(noCORS.status == 403)
            #expect(try noCORS.decode(APIErrorBody.self).code == "origin_not_allowed")
            // A client that is no browser gets it, as it gets the fragment and the hosted page; without CORS headers.
            let tool = try await harness.send("GET", path)
            #expect(tool.status == 200 && tool.headers["access-control-allow-origin"] == nil)

            // An unknown key, a malformed one and a revoked one: 404 unknown_form.
            let unknown = try await harness.send("GET", "/forms/cpf_0123456789abcdef_\(String(repeating: "0", count: 64))/embed.js", headers: browser)
            #expect(unknown.status == 404)
            #expect(try unknown.decode(APIErrorBody.self).code == "unknown_form")
            #expect(try await harness.send("GET", "/forms/nonsense/embed.js", headers: browser).status == 404)
            let revoke = try await harness.send("DELETE", "/v1/admin/agencies/IRS/form-keys/\(minted.keyId)", bearer: IntakeHTTPHarness.adminToken)
            #expect(revoke.status == 204)
            let revoked = try await harness.send("GET", path, headers: browser)
            #expect(revoked.status == 404 && revoked.headers["cache-control"] != "public, max-age=3600")
            #expect(try revoked.decode(APIErrorBody.self).code == "unknown_form")
        }
    }

    @Test func hostileInstrumentTextCannotLeaveTheScriptsStringLiteral() async throws {
        try await IntakeHTTPHarness.run(adjusting: Self.adjust) { harness in
            let hostile = "Trust? </script><script>alert(1)</script> \\\" ' \u{2028}\u{2029} <!-- ]]> \n`${x}` \u{7F}"
            let instrument: [String: Any] = [
                "form": "a11-v2-thumbs", "ombControlNumber": "1545-2278", "expiresOn": "2099-12-31", "trustQuestion": hostile,
                "wentWellOptions": ["ease"], "didNotGoWellOptions": ["ease"], "languages": ["en", "es"],
                "translations": ["es": ["trustQuestion": "¿" + hostile]],
            ]
            let set = try await harness.send(
                "PUT",
                "/v1/admin/agencies/IRS/instruments/free-file/kiosk",
                body: Array(try JSONSerialization.data(withJSONObject: instrument)),
                bearer: IntakeHTTPHarness.adminToken
            )
            #expect(set.status == 200, "\(String(decoding: set.body, as: UTF8.self))")
            let minted = try await Self.mintFormKey(harness)
            for language in ["en", "es"] {
                let reply = try await harness.send(
                    "GET",
                    "/forms/\(minted.key)/embed.js?lang=\(language)",
                    headers: ["Origin": Self.embedder, "Sec-Fetch-Mode": "cors"]
                )
                #expect(reply.status == 200)
                let script = String(decoding: reply.body, as: UTF8.self)
                // Nothing that ends a script element, opens a comment, or ends a line inside the literal.
                for forbidden in ["</", "<script", "<!--", "]]>", "\u{2028}", "\u{2029}", "\u{7F}"] {
                    #expect(!script.contains(forbidden), "\(language): \(forbidden)")
                }
                #expect(script.split(separator: "\n").last?.hasPrefix("})(\"") == true)
                // The literal is the markup exactly, with the text HTML-escaped in it.
                let markup = try Self.markup(ofScript: reply.body)
                #expect(markup.contains(htmlEscape(language == "es" ? "¿" + hostile : hostile)), "\(language)")
            }
        }
    }

    @Test func theEmbedScriptIsServedSmall() async throws {
        try await IntakeHTTPHarness.run(adjusting: Self.adjust) { harness in
            let script = try await harness.send("GET", "/forms/embed.js", headers: ["Accept-Encoding": "identity"])
            #expect(script.status == 200)
            #expect(script.headers["content-type"]?.hasPrefix("text/javascript") == true)
            #expect(script.body.count > 1_000 && script.body.count < 30_000)
            let etag = try #require(script.headers["etag"])
            #expect(try await harness.send("GET", "/forms/embed.js", headers: ["If-None-Match": etag, "Accept-Encoding": "identity"]).status == 304)
            // gzipped for a client that accepts it, with its own ETag; the static script may be cached.
            let gzipped = try await harness.send("GET", "/forms/embed.js", headers: ["Accept-Encoding": "gzip"])
            #expect(gzipped.headers["content-encoding"] == "gzip" && gzipped.body == script.body)
            #expect(gzipped.headers["cache-control"] == "public, max-age=3600" && gzipped.headers["vary"] == "Accept-Encoding")
            #expect(gzipped.headers["etag"] != nil && gzipped.headers["etag"] != etag)
            let identity = try await harness.send("GET", "/forms/embed.js", headers: ["Accept-Encoding": "identity"])
            #expect(identity.headers["content-encoding"] == nil && identity.headers["etag"] == etag)
        }
    }
}

/// 32 random lower-case hex digits.
enum Hex16 {
    static func random() -> String { (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined() }
}
