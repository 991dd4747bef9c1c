import CivicModels
import Foundation

/// The running totals of one measure in one cell: how many rows it counts (`n`), how many of those have
/// the property (`hits`), and the sum of a value (`total`), all additive so a batch adds to them.
///
/// The sum is kept exactly, in ten-thousandths (``units``: VADER's compound has four decimals; a handle time is
/// kept to 0.1 ms), so it does not depend on the order values are added in: the same events give the same
/// figures to the last digit whatever the partitions, replicas, batches or rebuilds that counted them.
struct MeasureTotals: Sendable, Equatable {
    /// Units of ``total`` per 1.
    static let unitsPerOne = 10_000.0

    var n = 0
    var hits = 0
    /// The sum, in ten-thousandths.
    var units: Int64 = 0

    /// The sum of the values.
    var total: Double { Double(units) / Self.unitsPerOne }

    init(n: Int = 0, hits: Int = 0, total: Double = 0) {
        self.n = n
        self.hits = hits
        units = Self.units(total)
    }

    /// `value` in ten-thousandths, rounded; the nearest representable sum for a value beyond Int64 (values are
    /// checked against their ranges before they are counted, so this never happens to a real figure).
    static func units(_ value: Double) -> Int64 {
        let scaled = (value * unitsPerOne).rounded()
        guard scaled.isFinite else { return 0 }
        return Int64(exactly: scaled) ?? (scaled < 0 ? .min : .max)
    }

    /// The sum as exact decimal text with four decimals, for a `numeric` column.
    var totalText: String {
        let magnitude = units.magnitude
        let fraction = String(magnitude % 10_000)
        return "\(units < 0 ? "-" : "")\(magnitude / 10_000).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
    }

    /// The totals taken away rather than added (a response withdrawn from its cell).
    var negated: Self {
        var negated = Self()
        negated.n = -n
        negated.hits = -hits
        negated.units = units == .min ? .max : -units
        return negated
    }

    static func += (lhs: inout Self, rhs: Self) {
        lhs.n += rhs.n
        lhs.hits += rhs.hits
        let (sum, overflow) = lhs.units.addingReportingOverflow(rhs.units)
        lhs.units = overflow ? (rhs.units < 0 ? .min : .max) : sum
    }
}

/// The measures stored in `reporting.cell_measures`, one row per cell and measure name. Adding a figure is
/// adding a name, not a column. Sparse measures (a driver ticked, an emotion expressed) are only written
/// when they occur; their denominator is another measure.
enum Measure {
    /// Responses counted (n).
    static let responses = "responses"
    /// Trust answers (n) and favourable ones (hits).
    static let trust = "trust"
    /// Satisfaction answers (n) and 4-5 (hits).
    static let satisfaction = "satisfaction"
    /// v1 driver answers (n) and 4-5 (hits): `top_two_box.<driver>`.
    static let topTwoBoxPrefix = "top_two_box."
    /// v2 respondents (n): the denominator of the went-well and didn't-go-well shares.
    static let v2Respondents = "v2_respondents"
    /// v2 respondents who ticked the driver as went well (n = hits): `went_well.<driver>`.
    static let wentWellPrefix = "went_well."
    /// v2 respondents who ticked the driver as didn't go well (n = hits): `did_not_go_well.<driver>`.
    static let didNotGoWellPrefix = "did_not_go_well."
    /// Recommend answers (n), promoters (hits), sum of the 0-10 answers (total).
    static let recommend = "recommend"
    /// Detractors (n = hits).
    static let detractors = "recommend_detractors"
    /// Scored comments (n), positive ones (hits), sum of compound scores (total).
    static let sentiment = "sentiment"
    /// Scored comments with compound <= -0.05 (n = hits).
    static let sentimentNegative = "sentiment_negative"
    /// Comments left unscored because they are not English (n).
    static let sentimentUnscored = "sentiment_unscored"
    /// Scored comments expressing the emotion (n = hits): `emotion.<name>`.
    static let emotionPrefix = "emotion."
    /// Operational contacts (n) and those resolved on first contact (hits).
    static let contacts = "contacts"
    /// Contacts that reported a handle time (n) and the sum of the seconds (total).
    static let handle = "handle"
    /// Contacts in digital channels (n = hits).
    static let digital = "digital"

    /// The emotions sentiment-scorer reports (CivicSentiment's `Emotion`), shown as 0 when no comment expresses
    /// them; other names in the scorer's map are reported too.
    static let emotions = ["anger", "fear", "sadness", "joy", "frustration", "confusion", "disappointment", "gratitude"]

    /// The v1 drivers reported as top-two-box shares (trust and satisfaction are reported at the top level).
    static func legacyDrivers(_ answers: Answers) -> [(name: String, value: Int?)] {
        [
            ("effectiveness", answers.effectiveness), ("ease", answers.ease), ("efficiency", answers.efficiency),
            ("transparency", answers.transparency), ("employee", answers.employee),
        ]
    }
}

/// What some rows add to one cell, by measure name.
struct CellMeasures: Sendable {
    var measures: [String: MeasureTotals] = [:]

    private mutating func count(_ name: String, hit: Bool = true, value: Double = 0) {
        measures[name, default: MeasureTotals()] += MeasureTotals(n: 1, hits: hit ? 1 : 0, total: value)
    }

    /// Counts a (not spam-flagged) response.
    mutating func add(_ row: FeedbackRow) {
        let answers = row.event.answers
        count(Measure.responses, hit: false)
        if let favourable = row.trustFavourable { count(Measure.trust, hit: favourable) }
        if let favourable = row.satisfactionFavourable { count(Measure.satisfaction, hit: favourable) }
        switch row.event.form {
        case .a11v1:
            for driver in Measure.legacyDrivers(answers) {
                if let value = driver.value { count(Measure.topTwoBoxPrefix + driver.name, hit: value >= 4) }
            }
        case .a11v2:
            count(Measure.v2Respondents, hit: false)
            for driver in Set(answers.wentWell ?? []) { count(Measure.wentWellPrefix + driver.rawValue) }
            for driver in Set(answers.didNotGoWell ?? []) { count(Measure.didNotGoWellPrefix + driver.rawValue) }
        }
        if let recommend = row.recommend {
            count(Measure.recommend, hit: recommend >= 9, value: Double(recommend))
            if recommend <= 6 { count(Measure.detractors) }
        }
        if row.unscoredReason != nil { count(Measure.sentimentUnscored, hit: false) }
        if let compound = row.compound {
            count(Measure.sentiment, hit: compound >= 0.05, value: compound)
            if compound <= -0.05 { count(Measure.sentimentNegative) }
            for (emotion, intensity) in row.event.emotions ?? [:] where intensity > 0 {
                count(Measure.emotionPrefix + emotion)
            }
        }
    }

    /// Counts an operational event.
    mutating func add(_ row: OperationsRow) {
        count(Measure.contacts, hit: row.resolvedFirstContact == true)
        if let seconds = row.handleSeconds { count(Measure.handle, hit: false, value: seconds) }
        if row.digital { count(Measure.digital) }
    }
}
