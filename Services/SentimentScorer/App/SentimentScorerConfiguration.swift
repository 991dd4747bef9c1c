import CivicRuntime
import Configuration

/// sentiment-scorer's settings.
package struct SentimentScorerConfiguration: Sendable {
    /// Broker, database, HTTP, logging and batching.
    package var runtime: RuntimeConfiguration

    /// Creates a configuration with the documented defaults.
    package init(runtime: RuntimeConfiguration = RuntimeConfiguration(serviceName: "sentiment-scorer")) {
        self.runtime = runtime
    }
}

extension SentimentScorerConfiguration {
    /// Reads the configuration from `reader` (environment variables `CIVIC_*`).
    package init(reader: ConfigReader) throws {
        self.init(runtime: try RuntimeConfiguration(reader: reader, service: "sentiment-scorer"))
    }
}
