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
    /// A JSON file of journey stage orders, `{"AGENCY/service": ["stage1", ...]}`; without one (or for a service
    /// it does not list) stages are ordered by first appearance. Default: none. (`CIVIC_REPORTING_JOURNEY_STAGES_FILE`)
    public var journeyStagesFile: String?
    /// Quarters in the relationship trust trend window, ending with the reported quarter. Default: 4.
    /// (`CIVIC_REPORTING_TREND_QUARTERS`)
    public var trendQuarters: Int = 4

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
        journeyStagesFile = reader.string(forKey: "civic.reporting.journey-stages-file")
        trendQuarters = try reader.strictInt("civic.reporting.trend-quarters", default: trendQuarters, in: 1...40)
    }
}
