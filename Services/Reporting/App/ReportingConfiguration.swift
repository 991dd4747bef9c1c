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
    /// The operators' administration token: it manages every agency's reporting tokens and users' roles and
    /// reads the audit trail, but shows no data. Default: none (access is then managed by agency admins only).
    /// (`CIVIC_REPORTING_ADMIN_TOKEN`)
    public var adminToken: String?
    /// A staff session ends after this long without a request. Default: 1800 s (30 minutes, as the
    /// Touchpoints ATO). (`CIVIC_REPORTING_SESSION_IDLE_S`)
    public var sessionIdleTimeout: Duration = .seconds(1800)
    /// A staff session ends this long after sign-in, however active. Default: 43200 s (12 hours).
    /// (`CIVIC_REPORTING_SESSION_LIFETIME_S`)
    public var sessionLifetime: Duration = .seconds(43200)
    /// Whether the session cookie is `Secure` (sent over TLS only). Default: true; set false only for a
    /// plain-HTTP loopback demo. (`CIVIC_REPORTING_COOKIE_SECURE`)
    public var secureCookies = true

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
        adminToken = reader.string(forKey: "civic.reporting.admin-token").flatMap { $0.isEmpty ? nil : $0 }
        sessionIdleTimeout = .seconds(try reader.strictInt("civic.reporting.session-idle-s", default: 1800, in: 1...86_400))
        sessionLifetime = .seconds(try reader.strictInt("civic.reporting.session-lifetime-s", default: 43_200, in: 60...604_800))
        secureCookies = try reader.strictBool("civic.reporting.cookie-secure", default: secureCookies)
    }
}
