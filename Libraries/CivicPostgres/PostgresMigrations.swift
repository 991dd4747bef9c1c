import Logging

/// One forward-only schema change.
package struct PostgresMigration: Sendable {
    /// The version, strictly increasing from 1.
    package var version: Int
    /// A short name, for the migrations table and logs.
    package var name: String
    /// The SQL to run (may hold several statements).
    package var sql: String

    /// Creates a migration.
    package init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// A stable fingerprint of the SQL (64-bit FNV-1a, hex), to detect a migration edited after it ran.
    package var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The versioned, forward-only migrations of one service's schema.
///
/// ``apply(using:logger:)`` takes a transaction-scoped advisory lock (so two replicas starting together do
/// not race), records each applied version with its checksum in `<schema>.schema_migrations`, and runs only
/// versions above the highest applied one. Running it again is a no-op. An applied migration whose SQL has
/// changed is refused: schema changes go in a new version.
package struct PostgresMigrations: Sendable {
    /// The schema the migrations own.
    package var schema: String
    /// The migrations, in any order.
    package var migrations: [PostgresMigration]

    /// Creates a migration set.
    package init(schema: String, migrations: [PostgresMigration]) {
        self.schema = schema
        self.migrations = migrations
    }

    /// Applies pending migrations.
    /// - Returns: The versions applied by this call (empty when the schema was up to date).
    /// - Throws: ``PostgresError`` `.migration` for duplicate versions or an edited migration, or any database error.
    @discardableResult
    package func apply(using client: PostgresClient, logger: Logger) async throws -> [Int] {
        try PostgresIdentifier.validate(schema)
        let sorted = migrations.sorted { $0.version < $1.version }
        guard Set(sorted.map(\.version)).count == sorted.count else {
            throw PostgresError(code: .migration, reason: "\(schema): duplicate migration versions")
        }
        let table = "\(schema).schema_migrations"
        return try await client.withTransaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", ["civicpulse.migrations.\(schema)"])
            // A role that owns its schema but may not create schemas in the database (the per-service roles
            // of a production deployment) must not need CREATE just to find its schema already there.
            let existing = try await connection.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema])
            if existing.isEmpty {
                try await connection.execute(script: "CREATE SCHEMA \(schema)")
            }
            try await connection.execute(
                script: """
                    CREATE TABLE IF NOT EXISTS \(table) (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        checksum text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    );
                    """
            )
            let applied = try await connection.query("SELECT version, checksum FROM \(table)")
            var checksums: [Int: String] = [:]
            for row in applied.rows {
                checksums[try row.require("version")] = try row.require("checksum", as: String.self)
            }
            var newlyApplied: [Int] = []
            for migration in sorted {
                if let checksum = checksums[migration.version] {
                    guard checksum == migration.checksum else {
                        throw PostgresError(
                            code: .migration,
                            reason: "\(schema) migration \(migration.version) (\(migration.name)) was changed after it was applied"
                        )
                    }
                    continue
                }
                try await connection.execute(script: migration.sql)
                try await connection.query(
                    "INSERT INTO \(table) (version, name, checksum) VALUES ($1, $2, $3)",
                    [migration.version, migration.name, migration.checksum]
                )
                logger.info(
                    "applied migration",
                    metadata: ["postgres.schema": "\(schema)", "postgres.migration": "\(migration.version) \(migration.name)"]
                )
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
    }
}
