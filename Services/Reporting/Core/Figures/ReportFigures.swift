import CivicModels
import Foundation

/// Turns one cell's measure totals into report figures, applying small-cell suppression: the whole row when
/// responses < minimum, and each figure whose own n < minimum; and what ``PublishedTable`` withholds to
/// protect other rows (complementary suppression): the measures in `withheld`.
struct ReportFigures {
    let measures: [String: MeasureTotals]
    let minimumCellSize: Int
    /// Measures whose figures are withheld here to protect other rows (by the name of the measure holding
    /// the figure's n). Default: none.
    var withheld: Set<String> = []

    private func totals(_ name: String) -> MeasureTotals { measures[name] ?? MeasureTotals() }

    var responses: Int { totals(Measure.responses).n }
    var suppressed: Bool { responses < minimumCellSize || withheld.contains(Measure.responses) }

    /// Whether the figures whose n is measure `base`'s are shown.
    private func shown(_ base: String) -> Bool { totals(base).n >= minimumCellSize && !withheld.contains(base) }

    /// `hits / n` of a measure, or hits of `name` over the n of `denominator`; `nil` below the minimum.
    private func share(_ name: String, over denominator: String? = nil) -> Proportion? {
        let base = denominator ?? name
        guard shown(base) else { return nil }
        return Proportion(favourable: totals(name).hits, n: totals(base).n)
    }

    /// Shares of the measures named `prefix + key`, for every key stored and every key in `always` (which
    /// shows as 0 when nothing was counted).
    private func shares(prefix: String, over denominator: String? = nil, always: [String] = []) -> [String: Proportion] {
        var keys = Set(always)
        for name in measures.keys where name.hasPrefix(prefix) { keys.insert(String(name.dropFirst(prefix.count))) }
        var result: [String: Proportion] = [:]
        for key in keys { result[key] = share(prefix + key, over: denominator) }
        return result
    }

    var trust: Proportion? { share(Measure.trust) }
    var satisfaction: Proportion? { share(Measure.satisfaction) }

    var drivers: DriverFigures {
        var drivers = DriverFigures()
        drivers.topTwoBox = shares(prefix: Measure.topTwoBoxPrefix)
        drivers.wentWell = shares(prefix: Measure.wentWellPrefix, over: Measure.v2Respondents, always: Driver.allCases.map(\.rawValue))
        drivers.didNotGoWell = shares(prefix: Measure.didNotGoWellPrefix, over: Measure.v2Respondents, always: Driver.allCases.map(\.rawValue))
        return drivers
    }

    var nps: NetPromoterScore? {
        let recommend = totals(Measure.recommend)
        guard shown(Measure.recommend) else { return nil }
        return NetPromoterScore(promoters: recommend.hits, detractors: totals(Measure.detractors).n, n: recommend.n)
    }

    var sentiment: SentimentFigures {
        let scored = totals(Measure.sentiment)
        var figures = SentimentFigures(scored: scored.n, unscored: totals(Measure.sentimentUnscored).n)
        guard shown(Measure.sentiment) else { return figures }
        let negative = totals(Measure.sentimentNegative).n
        figures.meanCompound = scored.total / Double(scored.n)
        figures.positive = Proportion(favourable: scored.hits, n: scored.n)
        figures.neutral = Proportion(favourable: scored.n - scored.hits - negative, n: scored.n)
        figures.negative = Proportion(favourable: negative, n: scored.n)
        return figures
    }

    var emotions: [String: Proportion] { shares(prefix: Measure.emotionPrefix, over: Measure.sentiment, always: Measure.emotions) }

    var operations: OperationsFigures? {
        let contacts = totals(Measure.contacts)
        guard shown(Measure.contacts) else { return nil }
        let handle = totals(Measure.handle)
        return OperationsFigures(
            contacts: contacts.n,
            firstContactResolution: Proportion(favourable: contacts.hits, n: contacts.n),
            // On its own n: the contacts that reported a handle time, not all contacts.
            averageHandleSeconds: shown(Measure.handle) ? handle.total / Double(handle.n) : nil,
            digitalAdoption: Proportion(favourable: totals(Measure.digital).n, n: contacts.n)
        )
    }

    func report(agency: String, service: String?, channel: String?, quarter: FiscalQuarter) -> QuarterlyReport {
        var report = QuarterlyReport(
            agency: agency,
            service: service,
            channel: channel,
            fiscalYear: quarter.fiscalYear,
            quarter: quarter.quarter,
            suppressed: suppressed
        )
        let contacts = totals(Measure.contacts).n
        report.operations = operations
        report.operationsSuppressed = contacts > 0 && !shown(Measure.contacts)
        guard !report.suppressed else { return report }
        report.responses = responses
        report.trust = trust
        report.satisfaction = satisfaction
        report.drivers = drivers
        report.nps = nps
        let sentiment = sentiment
        report.sentiment = sentiment
        report.scoredComments = sentiment.scored
        report.unscoredComments = sentiment.unscored
        report.meanSentiment = sentiment.meanCompound
        report.emotions = emotions
        return report
    }

    /// The change from `previous` to this cell; `nil` when either is suppressed.
    func trend(since previous: ReportFigures, previousQuarter: FiscalQuarter) -> TrendFigures? {
        guard !suppressed, !previous.suppressed else { return nil }
        func between(_ old: Proportion?, _ new: Proportion?) -> Trend? {
            guard let old, let new else { return nil }
            return Trend(from: old, to: new)
        }
        func between(_ old: [String: Proportion], _ new: [String: Proportion]) -> [String: Trend] {
            var result: [String: Trend] = [:]
            for (name, value) in new { result[name] = between(old[name], value) }
            return result
        }
        var trend = TrendFigures(previousFiscalYear: previousQuarter.fiscalYear, previousQuarter: previousQuarter.quarter)
        trend.trust = between(previous.trust, trust)
        trend.satisfaction = between(previous.satisfaction, satisfaction)
        if let old = previous.nps, let new = nps { trend.nps = Trend(from: old, to: new) }
        let (oldDrivers, newDrivers) = (previous.drivers, drivers)
        trend.drivers.topTwoBox = between(oldDrivers.topTwoBox, newDrivers.topTwoBox)
        trend.drivers.wentWell = between(oldDrivers.wentWell, newDrivers.wentWell)
        trend.drivers.didNotGoWell = between(oldDrivers.didNotGoWell, newDrivers.didNotGoWell)
        return trend
    }
}
