/// Settings of a ``PostgresClient``.
package struct PostgresConfiguration: Sendable {
    /// A libpq connection string or URI, for example `postgresql://intake@127.0.0.1:5432/civicpulse`.
    /// Default: `postgresql://127.0.0.1:5432/civicpulse`.
    package var connectionString: String = "postgresql://127.0.0.1:5432/civicpulse"
    /// The most connections the pool opens. Default: 4.
    package var maximumConnections: Int = 4
    /// Seconds to wait for a connection to be established. Default: 5.
    package var connectTimeoutSeconds: Int = 5
    /// The `application_name` shown in `pg_stat_activity`. Default: `civicpulse`.
    package var applicationName: String = "civicpulse"
    /// The server cancels a statement that runs longer (`statement_timeout`, SQLSTATE 57014, retriable);
    /// `nil` sets none. A transaction that must run longer sets `SET LOCAL statement_timeout`. Default: 60 s.
    package var statementTimeout: Duration? = .seconds(60)
    /// A task that finds every connection leased waits at most this long for one (then
    /// ``PostgresError/Code-swift.struct/poolTimeout``, retriable); `nil` waits for ever. Default: 30 s.
    package var poolWaitTimeout: Duration? = .seconds(30)

    /// Creates a configuration with the documented defaults.
    package init(connectionString: String = "postgresql://127.0.0.1:5432/civicpulse") {
        self.connectionString = connectionString
    }
}
