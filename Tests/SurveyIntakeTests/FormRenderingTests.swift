import CivicModels
import CivicTestTraits
import Configuration
import Crypto
import Foundation
import Testing

@testable import SurveyIntake

/// The form's parts without a service: the page for each kind of instrument, the response its fields make (checked
/// by the same validator as every response), the choice of language, the token and the settings.
@Suite(.hangGuard) struct FormRenderingTests {
    static let form = FormKeyStore.Form(keyId: "0123456789abcdef", agency: "IRS", service: "free-file", channel: .web, allowedOrigins: [])
    static let v1 = InstrumentDefinition(
        form: .a11v1,
        ombControlNumber: "1545-2278",
        expiresOn: "2099-12-31",
        trustQuestion: "I trust the IRS.",
        wentWellOptions: [],
        didNotGoWellOptions: [],
        languages: ["en", "es-US"],
        praBurdenStatement: "Our own burden statement.",
        translations: ["es-US": InstrumentTranslation(trustQuestion: "Confío en el IRS.")]
    )
    static let likert = InstrumentDefinition(
        form: .a11v2Likert5,
        ombControlNumber: "1545-2278",
        expiresOn: "2099-12-31",
        trustQuestion: "I trust the IRS.",
        wentWellOptions: [.ease, .humanity],
        didNotGoWellOptions: [.efficiency],
        languages: ["es", "en"]
    )

    static func page(
        _ instrument: InstrumentDefinition,
        language: String,
        values: FormFields = FormFields(),
        state: FormPage.State = .empty
    )
        -> String
    {
        FormPage(
            form: form,
            formKey: "cpf_0123456789abcdef_" + String(repeating: "a", count: 64),
            instrument: instrument,
            language: FormLanguage.choose(for: instrument, requested: language, accept: nil),
            token: "token",
            eventId: "form-event-1",
            values: values,
            state: state,
            minimumFillSeconds: 3
        ).document()
    }

    static func valid(_ bytes: [UInt8]) -> Result<Submission, Rejection> {
        SubmissionValidator().validate(bytes, now: Date(), accepting: [SchemaVersion.submitted])
    }

    @Test func anA11V1InstrumentShowsItsSevenStatementsAndItsOwnTexts() throws {
        let html = Self.page(Self.v1, language: "es")
        #expect(html.contains("<html lang=\"es-US\">"))
        #expect(html.components(separatedBy: "<fieldset").count - 1 == 8)  // seven statements and recommend
        #expect(html.contains("Confío en el IRS.") && html.contains("Estoy satisfecho con el servicio que recibí."))
        #expect(!html.contains("wentWell") && !html.contains("didNotGoWell"))
        // The burden statement exists in English only: shown marked as English.
        #expect(html.contains("<p lang=\"en\">Our own burden statement.</p>"))
        let english = Self.page(Self.v1, language: "en")
        #expect(english.contains("<p>Our own burden statement.</p>") && english.contains("I trust the IRS."))
    }

    @Test func anA11V1ResponseFromTheFormIsValid() throws {
        let fields = try #require(FormFields(urlEncoded: Array("satisfaction=4&trust=5&ease=2&comment=ok+then&website=".utf8)))
        let event = fields.event(eventId: "form-v1-1", occurredAt: Date(), form: Self.form, instrument: Self.v1, locale: "es-US")
        guard case .success(.response(let response)) = Self.valid(event) else {
            Issue.record("refused: \(Self.valid(event))")
            return
        }
        #expect(response.form == .a11v1 && response.scaleDirection == .agreeHigh)
        #expect(response.answers.satisfaction == 4 && response.answers.ease == 2 && response.comment == "ok then")
        #expect(response.locale == "es-US" && response.honeypot == "")
    }

    @Test func theLikertScaleShowsFiveChoicesAndKeepsOnlyWhatItsAnswerShows() throws {
        let html = Self.page(Self.likert, language: "es")
        for value in 1...5 { #expect(html.contains("name=\"trust\" value=\"\(value)\" class=\"\(value >= 4 ? "cp-fav" : "cp-unfav")\"")) }
        #expect(html.contains("Muy de acuerdo") && html.contains("Se atendió") == false)
        #expect(html.contains("value=\"humanity\"") && !html.contains("name=\"wentWell\" value=\"efficiency\""))
        let fields = try #require(FormFields(urlEncoded: Array("trust=2&wentWell=ease&didNotGoWell=efficiency".utf8)))
        let event = fields.event(eventId: "form-likert-1", occurredAt: Date(), form: Self.form, instrument: Self.likert, locale: "es")
        guard case .success(.response(let response)) = Self.valid(event) else {
            Issue.record("refused: \(Self.valid(event))")
            return
        }
        #expect(response.answers.trust == .likert5(2))
        #expect(response.answers.wentWell == nil && response.answers.didNotGoWell == [.efficiency])
    }

    @Test func errorsAreShownWithTheAnswersKeptAndEscaped() {
        let values = FormFields(urlEncoded: Array("comment=%3Cscript%3Ealert(1)%3C%2Fscript%3E".utf8)) ?? FormFields()
        let html = Self.page(
            Self.likert,
            language: "en",
            values: values,
            state: .errors([FormError(field: "answers.trust", message: "Answer the first question.")])
        )
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;</textarea>") && !html.contains("<script>alert"))
        #expect(html.contains("<a href=\"#cp-01234567-trust\">Answer the first question.</a>"))
        #expect(html.contains("id=\"cp-01234567-trust-error\"") && html.contains("aria-describedby=\"cp-01234567-trust-error\""))
    }

    @Test func aJavaScriptStringLiteralEscapesWhatCouldEndItOrItsScript() throws {
        #expect(javaScriptString("a\"b\\c") == #""a\"b\\c""#)
        #expect(javaScriptString("</script>") == #""\u003c/script\u003e""#)
        #expect(javaScriptString("<!-- & ' ]]>") == #""\u003c!-- \u0026 \u0027 ]]\u003e""#)
        #expect(javaScriptString("\u{2028}\u{2029}\n\r\t\u{1}\u{7F}") == #""\u2028\u2029\n\r\t\u0001\u007f""#)
        #expect(javaScriptString("¿Confía? 😀 `${x}`") == "\"¿Confía? 😀 `${x}`\"")
        // Also valid JSON, which reads back the text exactly.
        let text = "</script><script>alert('x')</script> \\\" \u{2028}\u{2029} \n é 😀"
        let read = try JSONSerialization.jsonObject(with: Data(javaScriptString(text).utf8), options: .fragmentsAllowed) as? String
        #expect(read == text)
        // The per-key script is the code, then the markup as that one literal.
        let script = KeyedEmbedScript.render(fragment: "<div class=\"cp-form\"></div>")
        #expect(script.hasSuffix("})(\"\\u003cdiv class=\\\"cp-form\\\"\\u003e\\u003c/div\\u003e\");\n"))
        #expect(!script.contains("</"))
    }

    @Test func gzipIsReadBackByGzipItself() throws {
        let text = Array(Self.page(Self.likert, language: "es").utf8)
        let compressed = try #require(FormCompression.gzip(text))
        #expect(compressed.count < text.count / 2)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("form-\(UUID().uuidString).gz")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(compressed).write(to: file)
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gunzip.arguments = ["-dc", file.path]
        let output = Pipe()
        gunzip.standardOutput = output
        try gunzip.run()
        let decompressed = output.fileHandleForReading.readDataToEndOfFile()
        gunzip.waitUntilExit()
        #expect(gunzip.terminationStatus == 0)
        #expect(Array(decompressed) == text)
    }

    @Test func theLanguageIsTheRequestedOneThenTheBrowsersThenTheInstrumentsFirst() {
        func choose(_ requested: String?, _ accept: String?) -> String {
            FormLanguage.choose(for: Self.v1, requested: requested, accept: accept).tag
        }
        #expect(choose("es", nil) == "es-US")
        #expect(choose("ES-us", nil) == "es-US")
        #expect(choose(nil, "fr-FR, es;q=0.8, en;q=0.9") == "en")
        #expect(choose(nil, "fr-FR, es;q=0.9, en;q=0.8") == "es-US")
        #expect(choose("fr", "de") == "en")
        #expect(FormLanguage.choose(for: Self.likert, requested: nil, accept: nil).tag == "es")
    }

    @Test func aTokenIsReadOnlyWithItsSignature() throws {
        let key = SymmetricKey(size: .bits256)
        let token = FormToken(formKeyId: "0123456789abcdef", now: Date())
        let text = token.signed(with: key)
        #expect(FormToken(verifying: text, key: key) == token)
        #expect(FormToken(verifying: text, key: SymmetricKey(size: .bits256)) == nil)
        var parts = text.split(separator: ".").map(String.init)
        parts[2] = String(token.issuedAt - 3_600)
        #expect(FormToken(verifying: parts.joined(separator: "."), key: key) == nil, "an earlier issue time breaks the signature")
        #expect(FormToken(verifying: "v1.x.1.2.3", key: key) == nil)
    }

    @Test func spentTokensAreNotPurgedWhileTheyAreValid() throws {
        func read(_ environment: [String: String]) throws -> SurveyIntakeConfiguration {
            try SurveyIntakeConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
        }
        #expect(throws: (any Error).self) { try read(["CIVIC_RETENTION_REJECTIONS_DAYS": "3"]) }
        #expect(
            try read(["CIVIC_RETENTION_REJECTIONS_DAYS": "3", "CIVIC_INTAKE_FORM_TOKEN_LIFETIME_S": "86400"]).http.forms.tokenLifetimeSeconds
                == 86_400
        )
        #expect(try read(["CIVIC_RETENTION_REJECTIONS_DAYS": "0"]).http.forms.tokenLifetimeSeconds == 604_800)
    }

    @Test func theTokenKeyIsReadFromAFileOthersCannotRead() throws {
        func read(_ environment: [String: String]) throws -> FormConfiguration {
            try FormConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
        }
        let defaults = try read([:])
        #expect(defaults.tokenKey == nil && defaults.minimumFillSeconds == 3 && defaults.tokenLifetimeSeconds == 604_800)
        #expect(throws: (any Error).self) { try read(["CIVIC_INTAKE_FORM_TOKEN_KEY": "too short"]) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("form-token-\(UUID().uuidString).key")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data((String(repeating: "k", count: 40) + "\n").utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        #expect(throws: (any Error).self) { try read(["CIVIC_INTAKE_FORM_TOKEN_KEY_FILE": file.path]) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        #expect(try read(["CIVIC_INTAKE_FORM_TOKEN_KEY_FILE": file.path]).tokenKey == Array(String(repeating: "k", count: 40).utf8))
        #expect(throws: (any Error).self) {
            try read(["CIVIC_INTAKE_FORM_TOKEN_KEY_FILE": file.path, "CIVIC_INTAKE_FORM_TOKEN_KEY": String(repeating: "k", count: 40)])
        }
    }
}
