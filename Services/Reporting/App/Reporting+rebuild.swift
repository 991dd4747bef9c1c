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
