import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation

/// sentiment-scorer's table in its own `scorer` schema.
struct ScoreStore: Sendable {
    let client: PostgresClient

    static let migrations = PostgresMigrations(
        schema: "scorer",
        migrations: [
            PostgresMigration(
                version: 1,
                name: "scores",
                sql: """
                    CREATE TABLE scorer.scores (
                        event_id text PRIMARY KEY,
                        agency text NOT NULL,
                        neg double precision,
                        neu double precision,
                        pos double precision,
                        compound double precision,
                        unscored_reason text,
                        emotions jsonb NOT NULL,
                        scorer_version text NOT NULL,
                        scored_at timestamptz NOT NULL
                    );
                    """
            ),
            // An event is its agency and its id: one agency's id never stands for another's.
            PostgresMigration(
                version: 2,
                name: "event identity is (agency, event id)",
                sql: "ALTER TABLE scorer.scores DROP CONSTRAINT scores_pkey, ADD PRIMARY KEY (agency, event_id);"
            ),
            // Tombstones of erased events (an erasure request or the retention schedule): keys only.
            PostgresMigration(
                version: 3,
                name: "erased events",
                sql: ErasedEvents.createTableSQL(schema: "scorer") + "\nCREATE INDEX scores_scored_at ON scorer.scores (scored_at);"
            ),
        ]
    )

    /// One row.
    struct Score {
        var eventId: String
        var agency: String
        var neg: Double?
        var neu: Double?
        var pos: Double?
        var compound: Double?
        var unscoredReason: String?
        var emotionsJSON: String
        var scorerVersion: String

        /// The scored event.
        var key: EventKey { EventKey(agency: agency, eventId: eventId) }
    }

    /// The stage's tombstones.
    static let erased = ErasedEvents(schema: "scorer")
    /// The tables an erasure deletes from.
    static let erasedTables = [ErasedEvents.EventTable("scorer.scores")]
    /// What the retention schedule purges.
    static let retention = RetentionPurge(
        rules: [RetentionRule(.responses, table: "scorer.scores", timestampColumn: "scored_at", event: erasedTables[0])],
        erased: erased
    )

    /// Records a batch, except erased events, which it returns (the caller does not forward them); a replayed
    /// event keeps its first row.
    func record(_ scores: [Score], now: Date) async throws -> Set<EventKey> {
        try await Self.erased.store(scores, key: \.key, in: client) { scores, connection in
            try await connection.insert(
                into: "scorer.scores",
                columns: [
                    "event_id", "agency", "neg", "neu", "pos", "compound", "unscored_reason", "emotions", "scorer_version", "scored_at",
                ],
                rows: scores.map { score -> [(any PostgresEncodable)?] in
                    [
                        score.eventId, score.agency, score.neg, score.neu, score.pos, score.compound, score.unscoredReason,
                        score.emotionsJSON, score.scorerVersion, now,
                    ]
                },
                suffix: "ON CONFLICT (agency, event_id) DO NOTHING"
            )
        }
    }
}
