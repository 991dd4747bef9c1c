import CivicPostgres
import CivicRuntime
import Configuration
import Testing

/// The database settings a service reads from the environment.
struct RuntimeConfigurationPostgresTests {
    @Test func theTimeoutsComeFromTheEnvironmentAndZeroMeansNone() throws {
        func postgres(_ environment: [String: String]) throws -> PostgresConfiguration {
            let reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
            return try RuntimeConfiguration(reader: reader, service: "timeouts").postgres
        }
        let defaults = try postgres([:])
        #expect(defaults.statementTimeout == .seconds(60) && defaults.poolWaitTimeout == .seconds(30))
        let set = try postgres(["CIVIC_POSTGRES_STATEMENT_TIMEOUT_MS": "1500", "CIVIC_POSTGRES_POOL_WAIT_MS": "250"])
        #expect(set.statementTimeout == .milliseconds(1500) && set.poolWaitTimeout == .milliseconds(250))
        let none = try postgres(["CIVIC_POSTGRES_STATEMENT_TIMEOUT_MS": "0", "CIVIC_POSTGRES_POOL_WAIT_MS": "0"])
        #expect(none.statementTimeout == nil && none.poolWaitTimeout == nil)
        #expect(throws: ConfigurationError.self) { try postgres(["CIVIC_POSTGRES_STATEMENT_TIMEOUT_MS": "-1"]) }
    }
}
