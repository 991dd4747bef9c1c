import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import Synchronization

/// How many of the benchmark's `topic-N` responses are in `intake.responses`, without a `count(*)` scan of
/// the growing table every poll (which cost PostgreSQL more time than the inserts it was timing).
///
/// Each partition is handled in offset order and the producer sent `topic-0` … `topic-(N-1)` in order, so
/// until the last ids are stored the answer is "not yet"; the exact count is asked only once they are.
struct StoredProgress {
    let postgres: PostgresClient
    let events: Int
    private let sentinels: [String]

    init(postgres: PostgresClient, events: Int) {
        self.postgres = postgres
        self.events = events
        sentinels = (max(0, events - max(100, events / 100))..<events).map { "topic-\($0)" }
    }

    /// The exact count while it is small (a bounded count finds when storing began), then a lower bound until
    /// every sentinel is stored, then the exact count.
    func stored() async -> Int {
        let bounded = try? await postgres.query("SELECT count(*) AS n FROM (SELECT 1 FROM intake.responses LIMIT 1000) AS first")
        let early = (try? bounded?.first?.require("n", as: Int.self)) ?? 0
        guard early == 1000 else { return early }
        let rows = try? await postgres.query(
            "SELECT count(*) AS n FROM intake.responses WHERE event_id = ANY($1::text[])",
            [PostgresTextArray(sentinels)]
        )
        let found = (try? rows?.first?.require("n", as: Int.self)) ?? 0
        guard found == sentinels.count else { return early }
        let all = try? await postgres.query("SELECT count(*) AS n FROM intake.responses")
        return (try? all?.first?.require("n", as: Int.self)) ?? 0
    }
}
