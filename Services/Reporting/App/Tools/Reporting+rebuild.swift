import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation
import Logging
import ReportingCore

/// Recomputes reporting's aggregates from its stored responses and operational events in one transaction
/// (after applying its migrations), for `reporting rebuild`. Safe while the service runs: ingestion waits for
/// the rebuild's lock on the aggregates and then adds only what the rebuild did not see.
package func rebuildReporting(configuration: ReportingConfiguration, logger: Logger) async throws -> RebuildSummary {
    let client = PostgresClient(configuration: configuration.runtime.postgres, logger: logger)
    defer { client.close() }
    try await ReportingStore.migrations.apply(using: client, logger: logger)
    return try await ReportingStore(client: client).rebuild()
}

/// Erases an agency's responses from every stage, for `reporting delete`: publishes the erasure requests on
/// ``CivicTopic/erasures`` (every service applies them to its own schema), then applies them to reporting's
/// own tables at once so the summary can say what was deleted here. Each request is signed with
/// `CIVIC_ERASURE_SIGNING_KEY_FILE`'s key (every stage refuses an unsigned one). Respondents (pseudonyms) are resolved to
/// the event ids reporting holds for them. Running it again changes nothing.
package func eraseReportingResponses(
    configuration: ReportingConfiguration,
    agency: String,
    eventIds: [String],
    respondents: [String] = [],
    reason: String,
    requestedBy: String,
    logger: Logger
) async throws -> ReportingStore.DeletionSummary {
    guard let signingKey = configuration.erasureSigningKey else {
        throw ErasureRequestInvalid(
            field: "signature",
            reason: "CIVIC_ERASURE_SIGNING_KEY_FILE is not set: every stage refuses an unsigned erasure request"
        )
    }
    let client = PostgresClient(configuration: configuration.runtime.postgres, logger: logger)
    defer { client.close() }
    try await CivicServiceRunner.prepare(
        configuration: configuration.runtime,
        topics: CivicTopic.all,
        postgres: client,
        migrations: ReportingStore.migrations,
        logger: logger
    )
    var ids = eventIds
    if !respondents.isEmpty {
        let rows = try await client.query(
            "SELECT event_id FROM reporting.feedback WHERE agency = $1 AND respondent = ANY($2::text[]) ORDER BY event_id",
            [agency, PostgresTextArray(respondents)]
        )
        ids += try rows.rows.map { try $0.require("event_id") }
    }
    ids = Array(Set(ids)).sorted()
    let now = Date()
    let requests = try stride(from: 0, to: ids.count, by: ErasureRequest.maxEventIds).map { start in
        try signingKey.sign(
            ErasureRequest(
                requestId: UUID().uuidString.lowercased(),
                agency: agency,
                eventIds: Array(ids[start..<min(start + ErasureRequest.maxEventIds, ids.count)]),
                reason: reason,
                requestedBy: requestedBy,
                requestedAt: now
            )
        )
    }
    for request in requests {
        if let problem = request.problem { throw ErasureRequestInvalid(field: problem.field, reason: problem.reason) }
    }
    let producer = try KafkaProducer(configuration: configuration.runtime.kafkaProducer, logger: logger)
    let encoder = CivicJSON.makeEncoder()
    do {
        _ = try await producer.send(
            try requests.map { KafkaOutboundMessage(topic: CivicTopic.erasures, key: agency, value: Array(try encoder.encode($0))) }
        )
    } catch {
        await producer.close()
        throw error
    }
    await producer.close()
    let store = ReportingStore(client: client)
    var summary = ReportingStore.DeletionSummary(deleted: [], alreadyDeleted: [], unknown: [], rebuild: nil)
    for request in requests {
        let part = try await store.erase(request)
        summary.deleted += part.deleted
        summary.alreadyDeleted += part.alreadyDeleted
        summary.unknown += part.unknown
        summary.rebuild = part.rebuild ?? summary.rebuild
    }
    return summary
}

/// An erasure request `reporting delete` would have to refuse.
struct ErasureRequestInvalid: Error, CustomStringConvertible {
    /// The offending field.
    var field: String
    /// Why.
    var reason: String
    var description: String { "\(field): \(reason)" }
}

/// Applies reporting's retention schedule once (after applying its migrations), for `reporting purge`.
package func purgeReporting(configuration: ReportingConfiguration, logger: Logger) async throws -> RetentionPurge.Summary {
    let client = PostgresClient(configuration: configuration.runtime.postgres, logger: logger)
    defer { client.close() }
    try await ReportingStore.migrations.apply(using: client, logger: logger)
    return try await ReportingStore.retention.run(schedule: configuration.runtime.retention, client: client)
}
