import CivicRuntime
import Configuration

/// reporting's settings.
public struct ReportingConfiguration: Sendable {
    /// Broker, database, HTTP, logging and batching.
    public var runtime: RuntimeConfiguration
    /// Cells with fewer responses are suppressed in every output. Default: 10. (`CIVIC_REPORTING_MIN_CELL`)
    public var minimumCellSize: Int = 10
    /// The month the fiscal year starts (U.S. federal: October). Default: 10. (`CIVIC_REPORTING_FY_START_MONTH`)
    public var fiscalYearStartMonth: Int = 10

    /// Creates a configuration with the documented defaults.
    public init(runtime: RuntimeConfiguration = RuntimeConfiguration(serviceName: "reporting")) {
        self.runtime = runtime
    }
}

extension ReportingConfiguration {
    /// Reads the configuration from `reader` (environment variables `CIVIC_*`).
    public init(reader: ConfigReader) throws {
        self.init(runtime: try RuntimeConfiguration(reader: reader, service: "reporting"))
        minimumCellSize = try reader.strictInt("civic.reporting.min-cell", default: minimumCellSize, in: 1...1_000_000)
        fiscalYearStartMonth = try reader.strictInt("civic.reporting.fy-start-month", default: fiscalYearStartMonth, in: 1...12)
    }
}
