import CivicPostgres
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
    }

    /// Records a batch; a replayed event keeps its first row.
    func record(_ scores: [Score], now: Date) async throws {
        guard !scores.isEmpty else { return }
        try await client.withConnection { connection in
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
