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
        try await client.forEachBatch(
            Self.touchpointsSQL,
            [key.agency, key.service, key.channel, key.quarter.fiscalYear, key.quarter.quarter],
            batchSize: batchSize
        ) { batch in
            try await body(try Self.touchpointsRows(batch))
        }
    }

    /// The Touchpoints rows' `SELECT`: `$1` agency, `$2` service, `$3` channel, `$4` fiscal year, `$5` quarter.
    package static let touchpointsSQL = """
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
        WHERE \(collectionFilter)
        ORDER BY occurred_at, event_id
        """

    private static let collectionFilter = """
        agency = $1 AND service = $2 AND channel = $3 AND fiscal_year = $4 AND fiscal_quarter = $5
          AND form = 'a11-v2' AND NOT excluded
        """

    /// The batch's rows, each column found once per batch and read by position. A value that is not of its
    /// column's type (or a missing column) is read again by name, which throws the error it always did.
    private static func touchpointsRows(_ batch: PostgresRows) throws -> [TouchpointsRow] {
        let names = [
            "event_id", "trust", "trust_favourable", "went_well", "did_not_go_well", "went_well_offered", "did_not_go_well_offered",
            "comment",
        ]
        let positions = names.compactMap { batch.columns.firstIndex(of: $0) }
        guard positions.count == names.count else { return try batch.rows.map(touchpointsRow) }
        var rows: [TouchpointsRow] = []
        rows.reserveCapacity(batch.count)
        for (index, values) in batch.values.enumerated() {
            let trustText = values[positions[1]]
            let favourableText = values[positions[2]]
            let trust = trustText.flatMap { Int($0) }
            let favourable = favourableText.flatMap { Bool(postgresText: $0) }
            guard let externalId = values[positions[0]], trustText == nil || trust != nil, favourableText == nil || favourable != nil else {
                rows.append(try touchpointsRow(batch.row(index)))
                continue
            }
            rows.append(
                TouchpointsRow(
                    externalId: externalId,
                    trust: trust,
                    trustFavourable: favourable,
                    wentWell: DriverSet(commaSeparated: values[positions[3]] ?? ""),
                    didNotGoWell: DriverSet(commaSeparated: values[positions[4]] ?? ""),
                    wentWellOffered: values[positions[5]].map { DriverSet(commaSeparated: $0) },
                    didNotGoWellOffered: values[positions[6]].map { DriverSet(commaSeparated: $0) },
                    comment: values[positions[7]]
                )
            )
        }
        return rows
    }

    /// One row read by column name.
    private static func touchpointsRow(_ row: PostgresRow) throws -> TouchpointsRow {
        func drivers(_ column: String) throws -> DriverSet {
            DriverSet(commaSeparated: try row.decode(column, as: String.self) ?? "")
        }
        /// The options the response's instrument offered; `nil` (all of them) when no instrument was registered.
        func offered(_ column: String) throws -> DriverSet? {
            try row.decode(column, as: String.self).map { DriverSet(commaSeparated: $0) }
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
