import CivicRuntime
import CivicTestTraits
import Configuration
import Testing

/// A broker or database on another host is reached only over TLS with the server verified, unless the operator
/// opts out by name; loopback and Unix sockets need neither. The connection string is read by libpq itself.
@Suite(.hangGuard)
struct RuntimeConfigurationTransportSecurityTests {
    private func runtime(_ environment: [String: String]) throws -> RuntimeConfiguration {
        let reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
        return try RuntimeConfiguration(reader: reader, service: "reporting")
    }

    /// The warnings of a configuration that passes, or the variable named by its refusal.
    private func check(_ environment: [String: String], libpq: [String: String] = [:]) throws -> Result<[String], ConfigurationError> {
        let configuration = try runtime(environment)
        do {
            return .success(try configuration.checkTransportSecurity(environment: libpq))
        } catch {
            return .failure(error)
        }
    }

    private func refusal(_ environment: [String: String], libpq: [String: String] = [:]) throws -> ConfigurationError? {
        if case .failure(let error) = try check(environment, libpq: libpq) { return error }
        return nil
    }

    @Test func theDefaultsAreLoopbackAndPass() throws {
        #expect(try check([:]).get() == [])
    }

    @Test(arguments: ["kafka.prod.example.gov:9092", "10.0.0.7:9092", "127.0.0.1:9092,kafka-2.example.gov:9092", "[2001:db8::1]:9092"])
    func plaintextKafkaElsewhereIsRefused(bootstrap: String) throws {
        let error = try #require(try refusal(["CIVIC_KAFKA_BOOTSTRAP": bootstrap]))
        #expect(error.environmentVariable == "CIVIC_KAFKA_SECURITY_PROTOCOL")
        #expect(error.reason.contains("CIVIC_KAFKA_ALLOW_PLAINTEXT=true"))
        #expect(
            try refusal([
                "CIVIC_KAFKA_BOOTSTRAP": bootstrap, "CIVIC_KAFKA_SECURITY_PROTOCOL": "sasl_plaintext", "CIVIC_KAFKA_SASL_USERNAME": "reporting",
                "CIVIC_KAFKA_SASL_PASSWORD": "x",
            ]) != nil
        )
    }

    @Test(arguments: ["127.0.0.1:9092", "localhost:9092", "127.3.4.5:19092", "[::1]:9092", "localhost:1,127.0.0.2:2"])
    func plaintextKafkaOnLoopbackPasses(bootstrap: String) throws {
        #expect(try check(["CIVIC_KAFKA_BOOTSTRAP": bootstrap]).get() == [])
    }

    @Test func tlsKafkaElsewherePassesButNotWithoutCheckingTheBrokersName() throws {
        let remote = ["CIVIC_KAFKA_BOOTSTRAP": "kafka.example.gov:9093", "CIVIC_KAFKA_SECURITY_PROTOCOL": "ssl"]
        #expect(try check(remote).get() == [])
        #expect(
            try check(
                remote.merging([
                    "CIVIC_KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "CIVIC_KAFKA_SASL_USERNAME": "reporting", "CIVIC_KAFKA_SASL_PASSWORD": "x",
                ]) { $1 }
            ).get() == []
        )
        let unchecked = try #require(try refusal(remote.merging(["CIVIC_KAFKA_SSL_VERIFY_HOSTNAME": "false"]) { $1 }))
        #expect(unchecked.reason.contains("not checked"))
    }

    @Test func theKafkaOptOutPassesWithAWarningNamingIt() throws {
        let warnings = try check(["CIVIC_KAFKA_BOOTSTRAP": "kafka.example.gov:9092", "CIVIC_KAFKA_ALLOW_PLAINTEXT": "true"]).get()
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("kafka.example.gov") == true)
        #expect(warnings.first?.contains("allowed by CIVIC_KAFKA_ALLOW_PLAINTEXT=true") == true)
    }

    @Test(arguments: [
        "postgresql://reporting@db.example.gov/civicpulse",
        "postgresql://reporting@db.example.gov/civicpulse?sslmode=require",
        "postgresql://reporting@db.example.gov/civicpulse?sslmode=verify-ca&sslrootcert=/ca.pem",
        "host=db.example.gov dbname=civicpulse sslmode=prefer",
        "postgresql://127.0.0.1,db-standby.example.gov/civicpulse",
        "host=localhost hostaddr=10.1.2.3 dbname=civicpulse",
    ])
    func unverifiedPostgresElsewhereIsRefused(url: String) throws {
        let error = try #require(try refusal(["CIVIC_POSTGRES_URL": url]))
        #expect(error.environmentVariable == "CIVIC_POSTGRES_URL")
        #expect(error.reason.contains("CIVIC_POSTGRES_ALLOW_UNVERIFIED=true"))
        #expect(!error.reason.contains("reporting@"), "the reason names hosts, never the connection string")
    }

    @Test(arguments: [
        "postgresql://reporting@db.example.gov/civicpulse?sslmode=verify-full&sslrootcert=/etc/civicpulse/db-ca.pem",
        "postgresql://127.0.0.1:5432/civicpulse",
        "postgresql://[::1]:5432/civicpulse",
        "postgresql:///civicpulse?host=/var/run/postgresql",
        "dbname=civicpulse",
        "host=localhost dbname=civicpulse sslmode=disable",
    ])
    func verifiedOrLocalPostgresPasses(url: String) throws {
        #expect(try check(["CIVIC_POSTGRES_URL": url]).get() == [])
    }

    @Test func libpqsOwnVariablesCountAsLibpqWouldReadThem() throws {
        // No host in the string: PGHOST decides where it goes, PGSSLMODE how.
        let bare = ["CIVIC_POSTGRES_URL": "dbname=civicpulse"]
        #expect(try refusal(bare, libpq: ["PGHOST": "db.example.gov"]) != nil)
        #expect(try check(bare, libpq: ["PGHOST": "db.example.gov", "PGSSLMODE": "verify-full"]).get() == [])
        // The string wins over the variable.
        let explicit = ["CIVIC_POSTGRES_URL": "postgresql://db.example.gov/civicpulse?sslmode=require"]
        #expect(try refusal(explicit, libpq: ["PGSSLMODE": "verify-full"]) != nil)
    }

    @Test func thePostgresOptOutPassesWithAWarningAndAnUnreadableStringIsRefused() throws {
        let warnings = try check([
            "CIVIC_POSTGRES_URL": "postgresql://db.example.gov/civicpulse", "CIVIC_POSTGRES_ALLOW_UNVERIFIED": "true",
        ]).get()
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("sslmode=prefer") == true)
        let unreadable = try #require(try refusal(["CIVIC_POSTGRES_URL": "host=db.example.gov nonsense"]))
        #expect(unreadable.environmentVariable == "CIVIC_POSTGRES_URL")
    }
}
