import CivicKafka
import CivicModels
import CivicPostgres
import Foundation

/// survey-intake's tables in its own `intake` schema: accepted responses (identity token removed),
/// rejections with their original bytes, and duplicate submissions.
struct IntakeStore: Sendable {
    let client: PostgresClient

    static let migrations = PostgresMigrations(
        schema: "intake",
        migrations: [
            PostgresMigration(
                version: 1,
                name: "responses, rejections, duplicates",
                sql: """
                    CREATE TABLE intake.responses (
                        event_id text PRIMARY KEY,
                        agency text NOT NULL,
                        service text NOT NULL,
                        channel text NOT NULL,
                        occurred_at timestamptz NOT NULL,
                        received_at timestamptz NOT NULL,
                        source_topic text NOT NULL,
                        source_partition integer NOT NULL,
                        source_offset bigint NOT NULL,
                        spam_flagged boolean NOT NULL DEFAULT false,
                        payload jsonb NOT NULL
                    );
                    CREATE INDEX responses_agency_received ON intake.responses (agency, received_at);
                    CREATE TABLE intake.rejections (
                        source_topic text NOT NULL,
                        source_partition integer NOT NULL,
                        source_offset bigint NOT NULL,
                        code text NOT NULL,
                        field text,
                        reason text NOT NULL,
                        event_id text,
                        original bytea NOT NULL,
                        rejected_at timestamptz NOT NULL,
                        PRIMARY KEY (source_topic, source_partition, source_offset)
                    );
                    CREATE TABLE intake.duplicates (
                        source_topic text NOT NULL,
                        source_partition integer NOT NULL,
                        source_offset bigint NOT NULL,
                        event_id text NOT NULL,
                        seen_at timestamptz NOT NULL,
                        PRIMARY KEY (source_topic, source_partition, source_offset)
                    );
                    """
            ),
            AgencyRegistry.migration,
            APIKeyStore.migration,
        ]
    )

    /// One accepted response to store.
    struct Accepted {
        var event: FeedbackEvent
        var payload: String
        var source: KafkaConsumerMessage
    }

    /// One rejected input to store.
    struct Rejected {
        var rejection: Rejection
        var source: KafkaConsumerMessage
    }

    /// Where each event id was first stored from, and when it was received.
    struct StoredOrigin: Hashable {
        var topic: String
        var partition: Int32
        var offset: Int64
        var receivedAt: Date
    }

    /// Stores a batch in one transaction and returns the stored origin of every accepted event id, so the
    /// caller can tell a first delivery or a replay of the same message (same origin) from a duplicate.
    func write(
        accepted: [Accepted],
        rejected: [Rejected],
        now: Date
    ) async throws
        -> [String: StoredOrigin]
    {
        try await client.withTransaction { connection in
            if !accepted.isEmpty {
                try await connection.insert(
                    into: "intake.responses",
                    columns: [
                        "event_id", "agency", "service", "channel", "occurred_at", "received_at", "source_topic",
                        "source_partition", "source_offset", "spam_flagged", "payload",
                    ],
                    rows: accepted.map { item -> [(any PostgresEncodable)?] in
                        [
                            item.event.eventId, item.event.agency, item.event.service, item.event.channel.rawValue,
                            item.event.occurredAt, now, item.source.topic, item.source.partition, item.source.offset,
                            item.event.spam?.flagged ?? false, item.payload,
                        ]
                    },
                    suffix: "ON CONFLICT (event_id) DO NOTHING"
                )
            }
            if !rejected.isEmpty {
                try await connection.insert(
                    into: "intake.rejections",
                    columns: [
                        "source_topic", "source_partition", "source_offset", "code", "field", "reason", "event_id",
                        "original", "rejected_at",
                    ],
                    rows: rejected.map { item -> [(any PostgresEncodable)?] in
                        [
                            item.source.topic, item.source.partition, item.source.offset, item.rejection.code.rawValue,
                            item.rejection.field, item.rejection.reason, item.rejection.eventId, item.source.value, now,
                        ]
                    },
                    suffix: "ON CONFLICT DO NOTHING"
                )
            }
            guard !accepted.isEmpty else { return [:] }
            let ids = PostgresTextArray(Array(Set(accepted.map(\.event.eventId))))
            let rows = try await connection.query(
                "SELECT event_id, source_topic, source_partition, source_offset, received_at FROM intake.responses WHERE event_id = ANY($1::text[])",
                [ids]
            )
            var origins: [String: StoredOrigin] = [:]
            for row in rows.rows {
                origins[try row.require("event_id")] = StoredOrigin(
                    topic: try row.require("source_topic"),
                    partition: try row.require("source_partition"),
                    offset: try row.require("source_offset"),
                    receivedAt: try row.require("received_at")
                )
            }
            let duplicateRows = accepted.filter { item in
                guard let origin = origins[item.event.eventId] else { return false }
                return
                    !(origin.topic == item.source.topic && origin.partition == item.source.partition
                    && origin.offset == item.source.offset)
            }
            if !duplicateRows.isEmpty {
                try await connection.insert(
                    into: "intake.duplicates",
                    columns: ["source_topic", "source_partition", "source_offset", "event_id", "seen_at"],
                    rows: duplicateRows.map { [$0.source.topic, $0.source.partition, $0.source.offset, $0.event.eventId, now] },
                    suffix: "ON CONFLICT DO NOTHING"
                )
            }
            return origins
        }
    }
}
