import CivicPostgres
import CivicRuntime
import Logging

/// Recomputes reporting's aggregates from its stored responses and operational events in one transaction
/// (after applying its migrations), for `reporting rebuild`. Safe while the service runs: ingestion waits for
/// the rebuild's lock on the aggregates and then adds only what the rebuild did not see.
public func rebuildReporting(configuration: ReportingConfiguration, logger: Logger) async throws -> RebuildSummary {
    let client = PostgresClient(configuration: configuration.runtime.postgres, logger: logger)
    defer { client.close() }
    try await ReportingStore.migrations.apply(using: client, logger: logger)
    return try await ReportingStore(client: client).rebuild()
}

/// Marks an agency's responses deleted and recomputes the aggregates without them, in one transaction (after applying
/// reporting's migrations), for `reporting delete`. Deleted responses never count in any figure or export.
public func deleteReportingResponses(
    configuration: ReportingConfiguration,
    eventIds: [String],
    agency: String,
    reason: String,
    logger: Logger
) async throws -> ReportingStore.DeletionSummary {
    let client = PostgresClient(configuration: configuration.runtime.postgres, logger: logger)
    defer { client.close() }
    try await ReportingStore.migrations.apply(using: client, logger: logger)
    return try await ReportingStore(client: client).delete(eventIds: eventIds, agency: agency, reason: reason)
}
