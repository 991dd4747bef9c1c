import CivicModels
import CivicRuntime
import Configuration
import Foundation

/// survey-intake's settings: the shared runtime settings plus the validation limits.
package struct SurveyIntakeConfiguration: Sendable {
    /// Broker, database, HTTP, logging and batching.
    package var runtime: RuntimeConfiguration
    /// Validation limits.
    package var validation: ResponseValidator.Configuration
    /// Agencies and services to register at start-up (added to those already registered). Responses for
    /// agencies or services that are not registered are rejected. Default: none.
    /// (`CIVIC_INTAKE_REGISTRY_FILE`, a path to a ``RegistryFile`` JSON document)
    package var registry: RegistryFile?
    /// How old, in seconds, the in-memory copy of the survey instruments may get before a look-up reads them
    /// again; an instrument set through another replica applies within this time. Default: 5.
    /// (`CIVIC_INTAKE_INSTRUMENT_CACHE_S`)
    package var instrumentCacheSeconds = 5
    /// How often, in seconds, the stream processor looks for new agency topics (`cx.feedback.submitted.v1.<agency>`,
    /// subscribed to by pattern): an agency registered meanwhile, or through another replica, is read within this
    /// time. Default: 5. (`CIVIC_INTAKE_AGENCY_TOPIC_REFRESH_S`)
    package var agencyTopicRefreshSeconds = 5
    /// Limits of operations events (`cx.operations/1`).
    package var operations: OperationsValidator.Configuration
    /// Spam signal thresholds and windows.
    package var spam: SpamDetector.Configuration
    /// The HTTP front door (`POST /v1/responses`, admin routes).
    package var http = IntakeHTTPConfiguration()

    /// Creates a configuration with the documented defaults.
    package init(runtime: RuntimeConfiguration = RuntimeConfiguration(serviceName: "survey-intake")) {
        self.runtime = runtime
        self.validation = .init()
        self.operations = .init()
        self.spam = .init()
    }
}

extension SurveyIntakeConfiguration {
    /// Reads the configuration from `reader` (environment variables `CIVIC_*`).
    package init(reader: ConfigReader) throws {
        self.init(runtime: try RuntimeConfiguration(reader: reader, service: "survey-intake"))
        validation.maxPayloadBytes = try reader.strictInt(
            "civic.intake.max-payload-bytes",
            default: validation.maxPayloadBytes,
            in: 256...10_000_000
        )
        validation.maxCommentCharacters = try reader.strictInt(
            "civic.intake.max-comment-chars",
            default: validation.maxCommentCharacters,
            in: 1...1_000_000
        )
        validation.maxAgeSeconds = try reader.strictInt("civic.intake.max-age-s", default: validation.maxAgeSeconds, in: 60...31_536_000)
        validation.maxFutureSkewSeconds = try reader.strictInt(
            "civic.intake.max-future-s",
            default: validation.maxFutureSkewSeconds,
            in: 0...86_400
        )
        operations.maxHandleSeconds = Double(
            try reader.strictInt("civic.intake.max-handle-s", default: Int(operations.maxHandleSeconds), in: 1...31_536_000)
        )
        spam.sourceLimit = try reader.strictInt("civic.intake.spam.source-limit", default: spam.sourceLimit, in: 1...1_000_000)
        spam.sourceWindowSeconds = try reader.strictInt(
            "civic.intake.spam.source-window-s",
            default: spam.sourceWindowSeconds,
            in: 1...31_536_000
        )
        spam.repeatThreshold = try reader.strictInt("civic.intake.spam.repeat-threshold", default: spam.repeatThreshold, in: 2...1_000_000)
        spam.repeatWindowSeconds = try reader.strictInt(
            "civic.intake.spam.repeat-window-s",
            default: spam.repeatWindowSeconds,
            in: 1...31_536_000
        )
        spam.repeatMinimumCharacters = try reader.strictInt(
            "civic.intake.spam.repeat-min-chars",
            default: spam.repeatMinimumCharacters,
            in: 1...100_000
        )
        spam.linkLimit = try reader.strictInt("civic.intake.spam.link-limit", default: spam.linkLimit, in: 1...1_000)
        instrumentCacheSeconds = try reader.strictInt("civic.intake.instrument-cache-s", default: instrumentCacheSeconds, in: 0...86_400)
        agencyTopicRefreshSeconds = try reader.strictInt(
            "civic.intake.agency-topic-refresh-s",
            default: agencyTopicRefreshSeconds,
            in: 1...3_600
        )
        http = try IntakeHTTPConfiguration(reader: reader)
        // Spent form tokens are purged with rejections: purged while still valid, a token could be spent again.
        let rejectionDays = runtime.retention.rejectionDays
        if rejectionDays > 0, rejectionDays * 86_400 < http.forms.tokenLifetimeSeconds {
            throw ConfigurationError(
                key: "civic.intake.form.token-lifetime-s",
                reason: "\(http.forms.tokenLifetimeSeconds) s outlives CIVIC_RETENTION_REJECTIONS_DAYS (\(rejectionDays) days), "
                    + "which purges spent form tokens; shorten it or keep rejections longer"
            )
        }
        let path = reader.text("civic.intake.registry-file", default: "")
        if !path.isEmpty {
            do {
                registry = try JSONDecoder().decode(RegistryFile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            } catch {
                throw ConfigurationError(key: "civic.intake.registry-file", reason: "\(path): \(error)")
            }
            // Each agency publishes to a topic named after its code, so a code must be able to name one.
            if let invalid = registry?.agencies.first(where: { !CivicTopic.isAgencyCode($0.code) }) {
                throw ConfigurationError(
                    key: "civic.intake.registry-file",
                    reason: "\(path): agency code \"\(invalid.code)\" must be 1 to 100 letters, digits, '-' or '_'"
                )
            }
        }
    }
}
