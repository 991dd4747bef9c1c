import CivicModels
import CivicPostgres
import ReportingCore

/// The exports' own reads: the legacy A-11 v1 counts and the A-11 v2 responses of one collection, streamed
/// in batches. Spam-flagged responses never appear.
extension ExportQuery {
    /// One collection's coordinates.
    package struct CollectionKey: Sendable {
        package var agency: String
        var service: String
        var channel: String
        var quarter: FiscalQuarter

        package init(agency: String, service: String, channel: String, quarter: FiscalQuarter) {
            self.agency = agency
            self.service = service
            self.channel = channel
            self.quarter = quarter
        }
    }

    /// The agency's legacy (A-11 v1) collections with the count of each answer 1-5 to each question.
    package func legacyCollections(agency: String, fiscalYear: Int, quarter: Int?) async throws -> [LegacyCollection] {
        var counts: [String] = []
        for (question, name) in LegacyCollection.questions.enumerated() {
            for answer in 1...5 {
                // v1 trust is a bare number, like the other drivers; a non-integer value counts nowhere.
                counts.append(
                    "count(*) FILTER (WHERE payload->'answers'->>'\(name)' = '\(answer)') AS q\(question + 1)_\(answer)"
                )
            }
        }
        let rows = try await client.query(
            """
            SELECT service, channel, fiscal_year, fiscal_quarter, count(*) AS responses, \(counts.joined(separator: ", "))
            FROM reporting.feedback
            WHERE agency = $1 AND fiscal_year = $2 AND ($3::int IS NULL OR fiscal_quarter = $3)
              AND form = 'a11-v1' AND NOT excluded
            GROUP BY 1, 2, 3, 4
            ORDER BY 1, 2, 3, 4
            """,
            [agency, fiscalYear, quarter]
        )
        return try rows.rows.map { row in
            let responses: Int = try row.require("responses")
            return LegacyCollection(
                agency: agency,
                service: try row.require("service"),
                channel: try row.require("channel"),
                fiscalYear: try row.require("fiscal_year"),
                quarter: try row.require("fiscal_quarter"),
                responses: responses,
                counts: try (1...7).flatMap { question in try (1...5).map { try row.require("q\(question)_\($0)", as: Int.self) } },
                suppressed: responses < minimumCellSize
            )
        }
    }

    /// A-11 v2 responses (spam excluded) in the collection.
    package func touchpointsCount(_ key: CollectionKey) async throws -> Int {
        let rows = try await client.query(
            "SELECT count(*) AS n FROM reporting.feedback WHERE \(Self.collectionFilter)",
            [key.agency, key.service, key.channel, key.quarter.fiscalYear, key.quarter.quarter]
        )
        return try rows.first?.require("n") ?? 0
    }

    /// Streams the collection's A-11 v2 responses in `occurredAt` order, one batch at a time.
    package func forEachTouchpointsBatch(_ key: CollectionKey, _ body: ([TouchpointsRow]) async throws -> Void) async throws {
        let sql = """
            SELECT event_id, trust_favourable,
                   CASE jsonb_typeof(payload->'answers'->'trust')
                       WHEN 'object' THEN payload->'answers'->'trust'->>'value'
                       WHEN 'number' THEN payload->'answers'->>'trust'
                   END AS trust,
                   array_to_string(ARRAY(SELECT jsonb_array_elements_text(
                       coalesce(payload->'answers'->'wentWell', '[]'::jsonb))), ',') AS went_well,
                   array_to_string(ARRAY(SELECT jsonb_array_elements_text(
                       coalesce(payload->'answers'->'didNotGoWell', '[]'::jsonb))), ',') AS did_not_go_well,
                   payload->>'comment' AS comment,
                   CASE WHEN jsonb_typeof(payload->'instrument') = 'object' THEN array_to_string(ARRAY(SELECT jsonb_array_elements_text(
                       coalesce(payload->'instrument'->'wentWellOffered', '[]'::jsonb))), ',') END AS went_well_offered,
                   CASE WHEN jsonb_typeof(payload->'instrument') = 'object' THEN array_to_string(ARRAY(SELECT jsonb_array_elements_text(
                       coalesce(payload->'instrument'->'didNotGoWellOffered', '[]'::jsonb))), ',') END AS did_not_go_well_offered
            FROM reporting.feedback
            WHERE \(Self.collectionFilter)
            ORDER BY occurred_at, event_id
            """
        try await client.forEachBatch(
            sql,
            [key.agency, key.service, key.channel, key.quarter.fiscalYear, key.quarter.quarter],
            batchSize: batchSize
        ) { batch in
            try await body(try batch.rows.map(Self.touchpointsRow))
        }
    }

    private static let collectionFilter = """
        agency = $1 AND service = $2 AND channel = $3 AND fiscal_year = $4 AND fiscal_quarter = $5
          AND form = 'a11-v2' AND NOT excluded
        """

    private static func touchpointsRow(_ row: PostgresRow) throws -> TouchpointsRow {
        func drivers(_ column: String) throws -> Set<Driver> {
            Set((try row.decode(column, as: String.self) ?? "").split(separator: ",").compactMap { Driver(rawValue: String($0)) })
        }
        /// The options the response's instrument offered; `nil` (all of them) when no instrument was registered.
        func offered(_ column: String) throws -> Set<Driver>? {
            try row.decode(column, as: String.self).map { Set($0.split(separator: ",").compactMap { Driver(rawValue: String($0)) }) }
        }
        return TouchpointsRow(
            externalId: try row.require("event_id"),
            trust: try row.decode("trust"),
            trustFavourable: try row.decode("trust_favourable"),
            wentWell: try drivers("went_well"),
            didNotGoWell: try drivers("did_not_go_well"),
            wentWellOffered: try offered("went_well_offered"),
            didNotGoWellOffered: try offered("did_not_go_well_offered"),
            comment: try row.decode("comment")
        )
    }
}
