import CivicInsights
import CivicModels
import CivicPostgres

/// One response as the themes and key-driver analyses read it from `reporting.feedback`: its cell, its
/// (redacted) comment, and the answers that make its classes and predictors.
struct InsightRow: Sendable {
    var eventId: String
    var quarter: FiscalQuarter
    var service: String
    var channel: String
    var form: SurveyForm?
    /// The comment as stored: identity-verify replaced PII in it with typed placeholders before reporting saw it.
    var comment: String?
    var compound: Double?
    var trustFavourable: Bool?
    /// The trust answer's value (1-5, or thumbs 1/0).
    var trustValue: Int?
    /// v1 Likert answers by name (``InsightClasses/v1Items``).
    var likert: [String: Int]
    var wentWell: [String]
    var didNotGoWell: [String]
    var touchpoint: String?
    var stage: String?

    /// Where the analyses read the answers from.
    enum Source: Sendable {
        /// The columns migration 19 fills at ingest (`payload` for a row not yet filled).
        case columns
        /// `payload` for every row: the same expressions, evaluated at each read (the benchmarks' comparison).
        case payload
    }

    /// The answers the analyses read, each as its column and as the same value taken from `f.payload`
    /// (`reporting.answer_*`, the expressions migration 19's trigger fills the columns with).
    static let answers: [(alias: String, column: String, fromPayload: String)] =
        [
            ("comment", "comment", "f.payload->>'comment'"),
            ("trust_value", "answer_trust", "reporting.answer_trust(f.payload->'answers'->'trust')"),
        ] + InsightClasses.v1Items.map { ($0, "answer_\($0)", "reporting.answer_int(f.payload->'answers'->'\($0)')") } + [
            ("went_well", "answer_went_well", "reporting.answer_options(f.payload->'answers'->'wentWell')"),
            ("did_not_go_well", "answer_did_not_go_well", "reporting.answer_options(f.payload->'answers'->'didNotGoWell')"),
            ("touchpoint", "touchpoint", "f.payload->>'touchpoint'"),
        ]

    /// The SQL expression of the answer `alias` read from `source`.
    static func answer(_ alias: String, from source: Source = .columns) -> String {
        guard let answer = answers.first(where: { $0.alias == alias }) else { return "NULL" }
        switch source {
        case .columns: return "CASE WHEN f.answers_extracted THEN f.\(answer.column) ELSE \(answer.fromPayload) END"
        case .payload: return answer.fromPayload
        }
    }

    /// The responses of one agency in one quarter, or two (`$1` agency, `$2`/`$3` the quarter, `$4`/`$5` another
    /// quarter or NULL), spam-flagged ones left out, in event order; with `commentsOnly`, those with a comment.
    static func select(commentsOnly: Bool, from source: Source = .columns) -> String {
        """
        SELECT f.event_id, f.fiscal_year, f.fiscal_quarter, f.service, f.channel, f.form, f.compound, f.trust_favourable,
               \(answers.map { "\(answer($0.alias, from: source)) AS \($0.alias)" }.joined(separator: ",\n       ")),
               f.stage
        FROM reporting.feedback f
        WHERE f.agency = $1 AND NOT f.excluded
          AND ((f.fiscal_year = $2 AND f.fiscal_quarter = $3) OR (f.fiscal_year = $4 AND f.fiscal_quarter = $5))
          \(commentsOnly ? "AND coalesce(\(answer("comment", from: source)), '') <> ''" : "")
        ORDER BY f.event_id
        """
    }

    init(_ row: PostgresRow) throws {
        eventId = try row.require("event_id")
        quarter = FiscalQuarter(fiscalYear: try row.require("fiscal_year"), quarter: try row.require("fiscal_quarter"))
        service = try row.require("service")
        channel = try row.require("channel")
        form = SurveyForm(rawValue: try row.require("form", as: String.self))
        comment = try row.decode("comment")
        compound = try row.decode("compound")
        trustFavourable = try row.decode("trust_favourable")
        trustValue = try row.decode("trust_value")
        var likert: [String: Int] = [:]
        for item in InsightClasses.v1Items {
            if let value = try row.decode(item, as: Int.self), (1...5).contains(value) { likert[item] = value }
        }
        self.likert = likert
        wentWell = (try row.decode("went_well", as: String.self) ?? "").split(separator: ",").map(String.init)
        didNotGoWell = (try row.decode("did_not_go_well", as: String.self) ?? "").split(separator: ",").map(String.init)
        touchpoint = try row.decode("touchpoint")
        stage = try row.decode("stage")
    }
}

/// The classes themes are told apart by: trust up or down; on A-11 v2 each option that went well or did not;
/// on A-11 v1 each Likert item answered low (1-2) or high (4-5).
enum InsightClasses {
    /// The v1 Likert items other than trust, in A-11 order.
    static let v1Items = ["satisfaction", "effectiveness", "ease", "efficiency", "transparency", "employee"]

    /// The class names, in bit order.
    static let names: [String] =
        ["trust:up", "trust:down"] + Driver.allCases.map { "wentWell:\($0.rawValue)" } + Driver.allCases.map { "didNotGoWell:\($0.rawValue)" }
        + v1Items.map { "\($0):low" } + v1Items.map { "\($0):high" }

    private static let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

    /// The class bits of `row`.
    static func classes(of row: InsightRow) -> UInt64 {
        var bits: UInt64 = 0
        func set(_ name: String) { if let i = index[name] { bits |= 1 << UInt64(i) } }
        if let favourable = row.trustFavourable { set(favourable ? "trust:up" : "trust:down") }
        for option in row.wentWell { set("wentWell:\(option)") }
        for option in row.didNotGoWell { set("didNotGoWell:\(option)") }
        for (item, value) in row.likert {
            if value <= 2 { set("\(item):low") } else if value >= 4 { set("\(item):high") }
        }
        return bits
    }
}
