import CivicPostgres
import Foundation
import Logging
import ServiceLifecycle

/// A service's retention purge: its ``RetentionRule``s applied with a ``RetentionSchedule``, each rule in its
/// own transaction (exempt from the statement timeout: a first purge may delete years of rows), events
/// leaving tombstones in the service's ``ErasedEvents``.
package struct RetentionPurge: Sendable {
    /// What one purge deleted, per table.
    package struct Summary: Sendable, Equatable, CustomStringConvertible {
        /// Rows deleted, per table (tables with a rule that kept everything are left out).
        package var deleted: [String: Int] = [:]

        package var description: String {
            deleted.isEmpty
                ? "nothing due" : deleted.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        }
    }

    /// The rules, applied in order.
    package let rules: [RetentionRule]
    /// Tables whose rows carry their own expiry, purged once it has passed whatever the schedule says (after
    /// the rules, each in its own transaction). Default: none.
    package let expiring: [ExpiringTable]
    /// The service's tombstones.
    package let erased: ErasedEvents
    /// Work a service must do before a rule's rows go, in the rule's transaction (reporting keeps the
    /// aggregated figures of the responses it purges). Default: nothing.
    package let beforeDeleting: @Sendable (RetentionRule, Date, PostgresConnection) async throws -> Void

    /// A purge of `rules`, tombstones in `erased`.
    package init(
        rules: [RetentionRule],
        erased: ErasedEvents,
        expiring: [ExpiringTable] = [],
        beforeDeleting: @escaping @Sendable (RetentionRule, Date, PostgresConnection) async throws -> Void = { _, _, _ in }
    ) {
        self.rules = rules
        self.erased = erased
        self.expiring = expiring
        self.beforeDeleting = beforeDeleting
    }

    /// Deletes every row older than the schedule allows for its kind.
    package func run(schedule: RetentionSchedule, client: PostgresClient, now: Date = Date()) async throws -> Summary {
        var summary = Summary()
        for rule in rules {
            guard let cutoff = schedule.cutoff(for: rule.kind, now: now) else { continue }
            summary.deleted[rule.table] = try await client.withTransaction { connection in
                _ = try await connection.query("SET LOCAL statement_timeout = 0")
                try await beforeDeleting(rule, cutoff, connection)
                return try await erased.purge(rule, before: cutoff, at: now, on: connection)
            }
        }
        for table in expiring {
            let rows = try await client.query(
                "WITH gone AS (DELETE FROM \(table.table) WHERE \(table.expiryColumn) < $1 RETURNING 1) SELECT count(*) AS n FROM gone",
                [now]
            )
            summary.deleted[table.table] = Int(try rows.first?.require("n", as: Int64.self) ?? 0)
        }
        return summary
    }
}

/// A table whose rows carry their own expiry (identity-verify's ledger of used token ids): a purge deletes
/// the rows whose expiry has passed.
package struct ExpiringTable: Sendable, Hashable {
    /// The table, schema-qualified.
    package var table: String
    /// The `timestamptz` column after which a row may go.
    package var expiryColumn: String

    /// An expiring table.
    package init(_ table: String, expiryColumn: String) {
        self.table = table
        self.expiryColumn = expiryColumn
    }
}

extension RetentionPurge {
    /// Applies the purge once with the configured schedule, after applying `migrations`, for a service's
    /// `purge` command.
    package func runOnce(configuration: RuntimeConfiguration, migrations: PostgresMigrations, logger: Logger) async throws -> Summary {
        let client = PostgresClient(configuration: configuration.postgres, logger: logger)
        defer { client.close() }
        try await migrations.apply(using: client, logger: logger)
        return try await run(schedule: configuration.retention, client: client)
    }
}

/// Runs a ``RetentionPurge`` when the service starts and then every ``RetentionSchedule/intervalSeconds``,
/// until graceful shutdown. A failed purge (the database unreachable) is logged and tried again at the next
/// interval; it never stops the service.
package struct RetentionService: Service {
    let purge: RetentionPurge
    let schedule: RetentionSchedule
    let client: PostgresClient
    let logger: Logger

    /// A service purging with `purge` on `schedule`.
    package init(purge: RetentionPurge, schedule: RetentionSchedule, client: PostgresClient, logger: Logger) {
        self.purge = purge
        self.schedule = schedule
        self.client = client
        self.logger = logger
    }

    package func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let summary = try await purge.run(schedule: schedule, client: client)
                logger.notice("retention purge", metadata: ["civic.retention.deleted": "\(summary)"])
            } catch is CancellationError {
                return
            } catch {
                logger.error("retention purge failed; trying again at the next interval", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: .seconds(schedule.intervalSeconds))
            }
        }
    }
}
