import CivicHTTP
import CivicKafka
import CivicPostgres

extension RuntimeConfiguration {
    /// Checks that the broker and the database are reached securely: Kafka over TLS (`ssl` or `sasl_ssl`, with the
    /// broker's name checked) and PostgreSQL with `sslmode=verify-full`, unless every broker or database host is
    /// this machine. An operator who must run otherwise opts out with `CIVIC_KAFKA_ALLOW_PLAINTEXT=true` or
    /// `CIVIC_POSTGRES_ALLOW_UNVERIFIED=true`.
    /// - Parameter environment: The process environment (libpq's `PGHOST`, `PGHOSTADDR`, `PGSSLMODE`).
    /// - Returns: One warning for each exposure the operator opted into, for the start-up log.
    /// - Throws: ``ConfigurationError`` naming the setting for an exposure not opted into.
    package func checkTransportSecurity(environment: [String: String]) throws(ConfigurationError) -> [String] {
        var warnings: [String] = []
        let remoteBrokers = kafkaBootstrapServers.split(separator: ",")
            .map { LoopbackHost.host(ofEntry: $0) }
            .filter { !$0.isEmpty && !LoopbackHost.contains($0) }
        let kafkaExposure: String? =
            if !kafkaSecurity.securityProtocol.usesTLS {
                "Kafka connections to \(remoteBrokers.joined(separator: ", ")) are not encrypted "
                    + "(CIVIC_KAFKA_SECURITY_PROTOCOL=\(kafkaSecurity.securityProtocol.rawValue); use sasl_ssl)"
            } else if !kafkaSecurity.verifiesHostname {
                "the Kafka brokers' names (\(remoteBrokers.joined(separator: ", "))) are not checked "
                    + "(CIVIC_KAFKA_SSL_VERIFY_HOSTNAME=false)"
            } else {
                nil
            }
        if let kafkaExposure, !remoteBrokers.isEmpty {
            guard kafkaAllowsPlaintext else {
                throw ConfigurationError(
                    key: "civic.kafka.security-protocol",
                    reason: "\(kafkaExposure); to accept this risk set CIVIC_KAFKA_ALLOW_PLAINTEXT=true"
                )
            }
            warnings.append("\(kafkaExposure), allowed by CIVIC_KAFKA_ALLOW_PLAINTEXT=true")
        }
        let targets: PostgresConnectionTargets
        do {
            targets = try PostgresConnectionTargets(connectionString: postgresURL, environment: environment)
        } catch {
            throw ConfigurationError(key: "civic.postgres.url", reason: error.reason)
        }
        let remoteDatabases = targets.networkHosts.filter { !LoopbackHost.contains($0) }
        if !targets.verifiesServer, !remoteDatabases.isEmpty {
            let exposure =
                "PostgreSQL at \(remoteDatabases.joined(separator: ", ")) is reached with sslmode=\(targets.sslMode), "
                + "which does not verify the server (add sslmode=verify-full&sslrootcert=<CA file> to CIVIC_POSTGRES_URL)"
            guard postgresAllowsUnverified else {
                throw ConfigurationError(
                    key: "civic.postgres.url",
                    reason: "\(exposure); to accept this risk set CIVIC_POSTGRES_ALLOW_UNVERIFIED=true"
                )
            }
            warnings.append("\(exposure), allowed by CIVIC_POSTGRES_ALLOW_UNVERIFIED=true")
        }
        return warnings
    }
}
