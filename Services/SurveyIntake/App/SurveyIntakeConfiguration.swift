import CivicRuntime
import Configuration

/// survey-intake's settings: the shared runtime settings plus the validation limits.
public struct SurveyIntakeConfiguration: Sendable {
    /// Broker, database, HTTP, logging and batching.
    public var runtime: RuntimeConfiguration
    /// Validation limits.
    public var validation: ResponseValidator.Configuration

    /// Creates a configuration with the documented defaults.
    public init(runtime: RuntimeConfiguration = RuntimeConfiguration(serviceName: "survey-intake")) {
        self.runtime = runtime
        self.validation = .init()
    }
}

extension SurveyIntakeConfiguration {
    /// Reads the configuration from `reader` (environment variables `CIVIC_*`).
    public init(reader: ConfigReader) throws {
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
    }
}
