import CivicRuntime
import Configuration
import Testing

@testable import Reporting
@testable import ReportingWeb

/// The access settings read from the environment: the administration token's minimum length, staff
/// sign-in turned on by its issuer and refused when half configured, and the session defaults.
struct ReportingAccessConfigurationTests {
    static func configuration(_ environment: [String: String]) throws -> ReportingConfiguration {
        try ReportingConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    static let signIn = [
        "CIVIC_REPORTING_SIGNIN_ISSUER": "https://idp.int.identitysandbox.gov/",
        "CIVIC_REPORTING_SIGNIN_CLIENT_ID": "urn:gov:gsa:openidconnect.profiles:sp:sso:agency:reporting",
        "CIVIC_REPORTING_SIGNIN_REDIRECT_URI": "https://reporting.example.gov/auth/callback",
        "CIVIC_REPORTING_SIGNIN_CLIENT_KEY_FILE": "/run/secrets/reporting-client-key.pem",
        "CIVIC_REPORTING_SIGNIN_CLIENT_KEY_ID": "reporting-1",
    ]

    @Test func defaultsLeaveSignInOffAndSessionsAtTheATOsTimeouts() throws {
        let defaults = try Self.configuration([:])
        #expect(defaults.signIn == nil)
        #expect(defaults.adminToken == nil)
        #expect(defaults.sessionIdleTimeout == .seconds(1800))
        #expect(defaults.sessionLifetime == .seconds(43_200))
        #expect(defaults.secureCookies)
    }

    @Test func aShortAdministrationTokenIsRefused() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try Self.configuration(["CIVIC_REPORTING_ADMIN_TOKEN": "short-token"])
        }
        #expect(error.environmentVariable == "CIVIC_REPORTING_ADMIN_TOKEN")
        let accepted = try Self.configuration(["CIVIC_REPORTING_ADMIN_TOKEN": "0123456789abcdef"])
        #expect(accepted.adminToken == "0123456789abcdef")
    }

    @Test func theIssuerTurnsSignInOnWithEveryOtherSettingRequired() throws {
        let configured = try #require(try Self.configuration(Self.signIn).signIn)
        #expect(configured.issuer == "https://idp.int.identitysandbox.gov/")
        #expect(configured.acrValues == "http://idmanagement.gov/ns/assurance/ial/1")
        #expect(!configured.allowsLoopbackHTTP)
        for missing in Self.signIn.keys where missing != "CIVIC_REPORTING_SIGNIN_ISSUER" {
            var environment = Self.signIn
            environment[missing] = nil
            let error = try #require(throws: ConfigurationError.self) { try Self.configuration(environment) }
            #expect(error.environmentVariable == missing)
        }
        var chosen = Self.signIn
        chosen["CIVIC_REPORTING_SIGNIN_ACR_VALUES"] = "urn:acr.login.gov:verified"
        chosen["CIVIC_REPORTING_SIGNIN_ALLOW_LOOPBACK_HTTP"] = "true"
        let settings = try #require(try Self.configuration(chosen).signIn)
        #expect(settings.acrValues == "urn:acr.login.gov:verified" && settings.allowsLoopbackHTTP)
        #expect(throws: (any Error).self) { try Self.configuration(["CIVIC_REPORTING_SESSION_IDLE_S": "0"]) }
    }

    @Test func tokensLive90DaysByDefaultAndNeverBeyondTheMaximum() throws {
        #expect(try Self.configuration([:]).tokenLifetime == TokenLifetime(defaultDays: 90, maximumDays: 365))
        let chosen = try Self.configuration(["CIVIC_REPORTING_TOKEN_DAYS": "30", "CIVIC_REPORTING_TOKEN_MAX_DAYS": "60"])
        #expect(chosen.tokenLifetime == TokenLifetime(defaultDays: 30, maximumDays: 60))
        // A maximum under the default lowers the default with it; a default above the maximum is refused.
        #expect(try Self.configuration(["CIVIC_REPORTING_TOKEN_MAX_DAYS": "7"]).tokenLifetime == TokenLifetime(defaultDays: 7, maximumDays: 7))
        let error = try #require(throws: ConfigurationError.self) { try Self.configuration(["CIVIC_REPORTING_TOKEN_DAYS": "400"]) }
        #expect(error.environmentVariable == "CIVIC_REPORTING_TOKEN_DAYS")
        #expect(throws: ConfigurationError.self) { try Self.configuration(["CIVIC_REPORTING_TOKEN_MAX_DAYS": "0"]) }
    }
}
