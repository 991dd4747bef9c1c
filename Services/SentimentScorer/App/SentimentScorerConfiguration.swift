import CivicRuntime
import Configuration

/// sentiment-scorer's settings.
public struct SentimentScorerConfiguration: Sendable {
    /// Broker, database, HTTP, logging and batching.
    public var runtime: RuntimeConfiguration

    /// Creates a configuration with the documented defaults.
    public init(runtime: RuntimeConfiguration = RuntimeConfiguration(serviceName: "sentiment-scorer")) {
        self.runtime = runtime
    }
}

extension SentimentScorerConfiguration {
    /// Reads the configuration from `reader` (environment variables `CIVIC_*`).
    public init(reader: ConfigReader) throws {
        self.init(runtime: try RuntimeConfiguration(reader: reader, service: "sentiment-scorer"))
    }
}
