import CivicInsights
import CivicRuntime
import Configuration
import Foundation
import ReportingWeb

/// reporting's settings.
package struct ReportingConfiguration: Sendable {
    /// Broker, database, HTTP, logging and batching.
    package var runtime: RuntimeConfiguration
    /// Cells with fewer responses are suppressed in every output. Default: 10. (`CIVIC_REPORTING_MIN_CELL`)
    package var minimumCellSize: Int = 10
    /// The month the fiscal year starts (U.S. federal: October). Default: 10. (`CIVIC_REPORTING_FY_START_MONTH`)
    var fiscalYearStartMonth: Int = 10
    /// A JSON file of journey stage orders, `{"AGENCY/service": ["stage1", ...]}`; without one (or for a service
    /// it does not list) stages are ordered by first appearance. Default: none. (`CIVIC_REPORTING_JOURNEY_STAGES_FILE`)
    package var journeyStagesFile: String?
    /// The follow-up rules file (``FollowUpRules``): which responses open a follow-up for each agency's case
    /// system, and its resolution target. Default: none (no follow-ups). (`CIVIC_REPORTING_FOLLOWUP_RULES_FILE`)
    var followUpRulesFile: String?
    /// Quarters in the relationship trust trend window, ending with the reported quarter. Default: 4.
    /// (`CIVIC_REPORTING_TREND_QUARTERS`)
    var trendQuarters: Int = 4
    /// The operators' administration token: it manages every agency's reporting tokens and users' roles and
    /// reads the audit trail, but shows no data. Default: none (access is then managed by agency admins only).
    /// (`CIVIC_REPORTING_ADMIN_TOKEN`)
    package var adminToken: String?
    /// A staff session ends after this long without a request. Default: 1800 s (30 minutes, as the
    /// Touchpoints ATO). (`CIVIC_REPORTING_SESSION_IDLE_S`)
    var sessionIdleTimeout: Duration = .seconds(1800)
    /// A staff session ends this long after sign-in, however active. Default: 43200 s (12 hours).
    /// (`CIVIC_REPORTING_SESSION_LIFETIME_S`)
    var sessionLifetime: Duration = .seconds(43200)
    /// Whether the session cookie is `Secure` (sent over TLS only). Default: true; set false only for a
    /// plain-HTTP loopback demo. (`CIVIC_REPORTING_COOKIE_SECURE`)
    var secureCookies = true
    /// Reporting tokens' lifetime: default 90 days, at most 365. (`CIVIC_REPORTING_TOKEN_DAYS`,
    /// `CIVIC_REPORTING_TOKEN_MAX_DAYS`)
    var tokenLifetime = TokenLifetime()
    /// Staff sign-in with OpenID Connect; `nil` (the default) leaves the dashboard to reporting tokens only.
    var signIn: StaffSignInSettings?
    /// The key that signs the erasure requests reporting publishes (`reporting delete`): PEM (PKCS #8) or the
    /// base64 of its 32-byte seed, from a file that others cannot read or from the variable itself (a Secret's
    /// value), not both. Default: none (publishing an erasure fails). (`CIVIC_ERASURE_SIGNING_KEY_FILE`,
    /// `CIVIC_ERASURE_SIGNING_KEY`)
    var erasureSigningKey: EventSigningKey?
    /// The bounds of the exports (``PackageLimits``: a package's size, packages built and Touchpoints exports
    /// streamed at once).
    package var packageLimits = PackageLimits()
    /// Key-driver analyses on fewer respondents are withheld (so are cells under `CIVIC_REPORTING_MIN_CELL`).
    /// Default: 200. (`CIVIC_REPORTING_DRIVERS_MIN_N`)
    package var driversMinimumN: Int = 200
    /// A key-driver analysis reads at most this many respondents (a fixed sample by response id past it).
    /// Default: 20,000. (`CIVIC_REPORTING_DRIVERS_MAX_ROWS`)
    package var driversMaximumRows: Int = 20_000
    /// Themes and key-driver analyses (the two routes, the dashboard's panels, `summary.html`) computed at once by
    /// this process; past it a route answers 429 and the dashboard leaves its panels out. Each reads an agency's
    /// quarter of comments several times on one core. Default: 1. (`CIVIC_REPORTING_INSIGHT_ANALYSES`)
    package var insightAnalyses: Int = 1
    /// Bytes of `GET /v1/reports` bodies kept, each computed once per version of the cells it rests on and
    /// shared by every caller asking for the same rows; 0 computes every body anew. Default: 67108864 (64 MiB).
    /// (`CIVIC_REPORTING_REPORT_CACHE_BYTES`)
    package var reportCacheBytes: Int = 64 << 20

    /// Creates a configuration with the documented defaults.
    package init(runtime: RuntimeConfiguration = RuntimeConfiguration(serviceName: "reporting")) {
        self.runtime = runtime
    }
}

extension ReportingConfiguration {
    /// The key-driver analyses' settings: `CIVIC_REPORTING_DRIVERS_*` over the documented defaults.
    package var driverSettings: DriverSettings {
        var settings = DriverSettings()
        settings.minimumN = driversMinimumN
        settings.maximumRows = driversMaximumRows
        return settings
    }

    /// Reads the configuration from `reader` (environment variables `CIVIC_*`).
    package init(reader: ConfigReader) throws {
        self.init(runtime: try RuntimeConfiguration(reader: reader, service: "reporting"))
        minimumCellSize = try reader.strictInt("civic.reporting.min-cell", default: minimumCellSize, in: 1...1_000_000)
        fiscalYearStartMonth = try reader.strictInt("civic.reporting.fy-start-month", default: fiscalYearStartMonth, in: 1...12)
        journeyStagesFile = reader.string(forKey: "civic.reporting.journey-stages-file")
        followUpRulesFile = reader.string(forKey: "civic.reporting.followup-rules-file")
        trendQuarters = try reader.strictInt("civic.reporting.trend-quarters", default: trendQuarters, in: 1...40)
        driversMinimumN = try reader.strictInt("civic.reporting.drivers-min-n", default: driversMinimumN, in: 30...1_000_000)
        driversMaximumRows = try reader.strictInt("civic.reporting.drivers-max-rows", default: driversMaximumRows, in: 1_000...1_000_000)
        insightAnalyses = try reader.strictInt("civic.reporting.insight-analyses", default: insightAnalyses, in: 1...64)
        reportCacheBytes = try reader.strictInt("civic.reporting.report-cache-bytes", default: reportCacheBytes, in: 0...(1 << 34))
        let admin = reader.text("civic.reporting.admin-token", default: "", isSecret: true)
        if !admin.isEmpty {
            guard admin.utf8.count >= 16 else {
                throw ConfigurationError(key: "civic.reporting.admin-token", reason: "must be at least 16 characters")
            }
            adminToken = admin
        }
        sessionIdleTimeout = .seconds(try reader.strictInt("civic.reporting.session-idle-s", default: 1800, in: 1...86_400))
        sessionLifetime = .seconds(try reader.strictInt("civic.reporting.session-lifetime-s", default: 43_200, in: 60...604_800))
        tokenLifetime.maximumDays = try reader.strictInt("civic.reporting.token-max-days", default: tokenLifetime.maximumDays, in: 1...3650)
        tokenLifetime.defaultDays = try reader.strictInt(
            "civic.reporting.token-days",
            default: min(tokenLifetime.defaultDays, tokenLifetime.maximumDays),
            in: 1...tokenLifetime.maximumDays
        )
        secureCookies = try reader.strictBool("civic.reporting.cookie-secure", default: secureCookies)
        erasureSigningKey = try Self.erasureSigningKey(reader: reader)
        packageLimits.maximumBytes = try reader.strictInt(
            "civic.reporting.package-max-bytes",
            default: packageLimits.maximumBytes,
            in: 1024...(1 << 34)
        )
        packageLimits.concurrentBuilds = try reader.strictInt("civic.reporting.package-builds", default: packageLimits.concurrentBuilds, in: 1...64)
        packageLimits.concurrentStreams = try reader.strictInt(
            "civic.reporting.export-streams",
            default: packageLimits.concurrentStreams,
            in: 1...200
        )
        let issuer = reader.text("civic.reporting.signin.issuer", default: "")
        if !issuer.isEmpty {
            func required(_ key: String) throws -> String {
                let value = reader.text("civic.reporting.signin.\(key)", default: "")
                guard !value.isEmpty else {
                    throw ConfigurationError(key: "civic.reporting.signin.\(key)", reason: "must be set when CIVIC_REPORTING_SIGNIN_ISSUER is")
                }
                return value
            }
            var settings = StaffSignInSettings(
                issuer: issuer,
                clientID: try required("client-id"),
                redirectURI: try required("redirect-uri"),
                clientKeyFile: try required("client-key-file"),
                clientKeyID: try required("client-key-id")
            )
            settings.acrValues = reader.text("civic.reporting.signin.acr-values", default: settings.acrValues)
            settings.allowsLoopbackHTTP = try reader.strictBool("civic.reporting.signin.allow-loopback-http", default: false)
            let cookieKey = reader.text("civic.reporting.signin.cookie-key", default: "", isSecret: true)
            if !cookieKey.isEmpty {
                guard let key = Data(base64Encoded: cookieKey), key.count == 32 else {
                    throw ConfigurationError(key: "civic.reporting.signin.cookie-key", reason: "must be 32 bytes, base64")
                }
                settings.pendingCookieKey = Array(key)
            }
            settings.requestsPerMinute = try reader.strictInt(
                "civic.reporting.signin.rate-per-min",
                default: settings.requestsPerMinute,
                in: 1...100_000
            )
            signIn = settings
        }
    }
}

extension ReportingConfiguration {
    /// The erasure signing key from `civic.erasure.signing-key-file` or `civic.erasure.signing-key` (never both).
    static func erasureSigningKey(reader: ConfigReader) throws -> EventSigningKey? {
        let direct = reader.text("civic.erasure.signing-key", default: "", isSecret: true)
        let file = reader.text("civic.erasure.signing-key-file", default: "")
        switch (direct.isEmpty, file.isEmpty) {
        case (true, true): return nil
        case (false, false):
            throw ConfigurationError(key: "civic.erasure.signing-key-file", reason: "set either this or CIVIC_ERASURE_SIGNING_KEY, not both")
        case (true, false):
            do throws(EventKeyError) { return try EventSigningKey(contentsOf: file) } catch {
                throw ConfigurationError(key: "civic.erasure.signing-key-file", reason: error.reason)
            }
        case (false, true):
            do throws(EventKeyError) { return try EventSigningKey(text: direct) } catch {
                throw ConfigurationError(key: "civic.erasure.signing-key", reason: error.reason)
            }
        }
    }
}
