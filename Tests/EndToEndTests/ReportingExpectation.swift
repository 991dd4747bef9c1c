import CivicModels
import Foundation

/// What `GET /v1/reports` must answer for a data set, computed by the test's own loops and formulas (not
/// the service's code), as JSON-shaped values: `[String: Any]` rows keyed by their cell.
struct ReportingExpectation {
    var byService = false
    var byChannel = false
    var agency: String?
    var fiscalYear: Int?
    var quarter: Int?
    var trend = true
    let minimum = ReportingDataSet.minimumCellSize

    struct Cell: Hashable {
        var agency: String
        var service: String?
        var channel: String?
        var fiscalYear: Int
        var quarter: Int

        var previous: Cell {
            var cell = self
            if quarter == 1 {
                cell.fiscalYear -= 1
                cell.quarter = 4
            } else {
                cell.quarter -= 1
            }
            return cell
        }

        var label: String { "\(agency)/\(service ?? "*")/\(channel ?? "*")/FY\(fiscalYear)Q\(quarter)" }
    }

    /// U.S. federal fiscal quarter of a date, computed here with Calendar.
    static func fiscal(_ date: Date) -> (year: Int, quarter: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month], from: date)
        let (year, month) = (parts.year!, parts.month!)
        switch month {
        case 10...12: return (year + 1, 1)
        case 1...3: return (year, 2)
        case 4...6: return (year, 3)
        default: return (year, 4)
        }
    }

    private func cell(agency: String, service: String, channel: Channel, date: Date) -> Cell {
        let (year, quarter) = Self.fiscal(date)
        return Cell(
            agency: agency,
            service: byService ? service : nil,
            channel: byChannel ? channel.rawValue : nil,
            fiscalYear: year,
            quarter: quarter
        )
    }

    /// Rows by cell label.
    func rows(responses: [FeedbackEvent], contacts: [OperationsEvent]) -> [String: [String: Any]] {
        var feedback: [Cell: [FeedbackEvent]] = [:]
        var operations: [Cell: [OperationsEvent]] = [:]
        for event in responses where agency == nil || event.agency == agency {
            guard event.spam?.flagged != true else { continue }  // spam never counts
            feedback[cell(agency: event.agency, service: event.service, channel: event.channel, date: event.occurredAt), default: []]
                .append(event)
        }
        for event in contacts where agency == nil || event.agency == agency {
            operations[cell(agency: event.agency, service: event.service, channel: event.channel, date: event.occurredAt), default: []]
                .append(event)
        }
        var result: [String: [String: Any]] = [:]
        for cell in Set(feedback.keys).union(operations.keys) {
            if let fiscalYear, cell.fiscalYear != fiscalYear { continue }
            if let quarter, cell.quarter != quarter { continue }
            var row = figures(feedback[cell] ?? [], operations[cell] ?? [], cell: cell)
            if trend, row["suppressed"] as? Bool == false, let before = feedback[cell.previous], countable(before) {
                row["trend"] = trendRow(from: before, to: feedback[cell] ?? [], previous: cell.previous)
            }
            result[cell.label] = row
        }
        return result
    }

    private func countable(_ events: [FeedbackEvent]) -> Bool { events.count >= minimum }

    // MARK: - Figures

    static func wilson(_ hits: Int, _ n: Int) -> [String: Any] {
        let z = 1.959_963_984_540_054
        let p = Double(hits) / Double(n)
        let nn = Double(n)
        let centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
        let margin = z / (1 + z * z / nn) * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()
        return ["n": n, "favourable": hits, "share": p, "lower": max(0.0, centre - margin), "upper": min(1.0, centre + margin)]
    }

    private func share(_ hits: Int, _ n: Int) -> [String: Any]? { n >= minimum ? Self.wilson(hits, n) : nil }

    private struct Counts {
        var hits = 0
        var n = 0
    }

    private func trustCounts(_ events: [FeedbackEvent]) -> Counts {
        var counts = Counts()
        for event in events {
            switch event.answers.trust {
            case .thumbs(let value)?:
                counts.n += 1
                if value == 1 { counts.hits += 1 }
            case .likert5(let value)?, .legacy(let value)?:
                counts.n += 1
                if value == 4 || value == 5 { counts.hits += 1 }
            case nil: break
            }
        }
        return counts
    }

    private func satisfactionCounts(_ events: [FeedbackEvent]) -> Counts {
        var counts = Counts()
        for value in events.compactMap(\.answers.satisfaction) {
            counts.n += 1
            if value >= 4 { counts.hits += 1 }
        }
        return counts
    }

    private func legacyDriverCounts(_ events: [FeedbackEvent]) -> [String: Counts] {
        var result: [String: Counts] = [:]
        for event in events where event.form == .a11v1 {
            let values = [
                "effectiveness": event.answers.effectiveness, "ease": event.answers.ease, "efficiency": event.answers.efficiency,
                "transparency": event.answers.transparency, "employee": event.answers.employee,
            ]
            for (name, value) in values {
                guard let value else { continue }
                result[name, default: Counts()].n += 1
                if value >= 4 { result[name, default: Counts()].hits += 1 }
            }
        }
        return result
    }

    /// v2 driver shares: hits = respondents who ticked it, n = all v2 respondents.
    private func tickCounts(_ events: [FeedbackEvent], wentWell: Bool) -> [String: Counts] {
        let v2 = events.filter { $0.form == .a11v2 }
        var result: [String: Counts] = [:]
        for driver in ReportingDataSet.drivers {
            let hits = v2.filter { event in
                ((wentWell ? event.answers.wentWell : event.answers.didNotGoWell) ?? []).contains { $0.rawValue == driver }
            }.count
            result[driver] = Counts(hits: hits, n: v2.count)
        }
        return result
    }

    private func shares(_ counts: [String: Counts]) -> [String: Any] {
        var result: [String: Any] = [:]
        for (name, count) in counts { if let value = share(count.hits, count.n) { result[name] = value } }
        return result
    }

    /// NPS, from the -1/0/+1 scores: mean and its standard error (population variance / n), normal interval.
    private func nps(_ events: [FeedbackEvent]) -> (row: [String: Any], score: Double, error: Double)? {
        let answers = events.compactMap(\.answers.recommend)
        guard answers.count >= minimum else { return nil }
        let scores = answers.map { $0 >= 9 ? 1.0 : ($0 <= 6 ? -1.0 : 0.0) }
        let mean = scores.reduce(0, +) / Double(scores.count)
        let variance = scores.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(scores.count)
        let error = 100 * (variance / Double(scores.count)).squareRoot()
        let score = 100 * mean
        let row: [String: Any] = [
            "n": answers.count, "promoters": answers.filter { $0 >= 9 }.count, "passives": answers.filter { $0 == 7 || $0 == 8 }.count,
            "detractors": answers.filter { $0 <= 6 }.count, "score": score, "standardError": error,
            "lower": max(-100, score - 1.959_963_984_540_054 * error), "upper": min(100, score + 1.959_963_984_540_054 * error),
        ]
        return (row, score, error)
    }

    private func figures(_ events: [FeedbackEvent], _ contacts: [OperationsEvent], cell: Cell) -> [String: Any] {
        var row: [String: Any] = ["agency": cell.agency, "fiscalYear": cell.fiscalYear, "quarter": cell.quarter]
        if let service = cell.service { row["service"] = service }
        if let channel = cell.channel { row["channel"] = channel }
        row["suppressed"] = events.count < minimum
        row["operationsSuppressed"] = !contacts.isEmpty && contacts.count < minimum
        if contacts.count >= minimum {
            var operations: [String: Any] = [
                "contacts": contacts.count,
                "firstContactResolution": Self.wilson(contacts.filter { $0.resolvedFirstContact == true }.count, contacts.count),
                "digitalAdoption": Self.wilson(
                    contacts.filter { [.web, .mobile, .email, .chat, .kiosk].contains($0.channel) }.count,
                    contacts.count
                ),
            ]
            let handled = contacts.compactMap(\.handleSeconds)
            if !handled.isEmpty { operations["averageHandleSeconds"] = handled.reduce(0, +) / Double(handled.count) }
            row["operations"] = operations
        }
        guard events.count >= minimum else { return row }
        row["responses"] = events.count
        let trust = trustCounts(events)
        row["trust"] = share(trust.hits, trust.n)
        let satisfaction = satisfactionCounts(events)
        row["satisfaction"] = share(satisfaction.hits, satisfaction.n)
        row["drivers"] = [
            "topTwoBox": shares(legacyDriverCounts(events)),
            "wentWell": shares(tickCounts(events, wentWell: true)),
            "didNotGoWell": shares(tickCounts(events, wentWell: false)),
        ]
        row["nps"] = nps(events)?.row
        let compounds = events.compactMap(\.sentiment?.compound)
        let unscored = events.filter { $0.scorer?.unscoredReason != nil && $0.scorer?.unscoredReason != .noComment }.count
        var sentiment: [String: Any] = ["scored": compounds.count, "unscored": unscored]
        row["scoredComments"] = compounds.count
        row["unscoredComments"] = unscored
        var emotions: [String: Any] = [:]
        if compounds.count >= minimum {
            let mean = compounds.reduce(0, +) / Double(compounds.count)
            sentiment["meanCompound"] = mean
            row["meanSentiment"] = mean
            let positive = compounds.filter { $0 >= 0.05 }.count
            let negative = compounds.filter { $0 <= -0.05 }.count
            sentiment["positive"] = Self.wilson(positive, compounds.count)
            sentiment["negative"] = Self.wilson(negative, compounds.count)
            sentiment["neutral"] = Self.wilson(compounds.count - positive - negative, compounds.count)
            let scored = events.filter { $0.sentiment != nil }
            for emotion in ReportingDataSet.emotions {
                emotions[emotion] = Self.wilson(scored.filter { ($0.emotions?[emotion] ?? 0) > 0 }.count, scored.count)
            }
        }
        row["sentiment"] = sentiment
        row["emotions"] = emotions
        return row
    }

    // MARK: - Trend

    /// Pooled two-proportion z-test at 95%.
    static func change(_ old: (hits: Int, n: Int), _ new: (hits: Int, n: Int)) -> [String: Any] {
        let p1 = Double(old.hits) / Double(old.n)
        let p2 = Double(new.hits) / Double(new.n)
        let pooled = Double(old.hits + new.hits) / Double(old.n + new.n)
        let error = (pooled * (1 - pooled) * (1 / Double(old.n) + 1 / Double(new.n))).squareRoot()
        return ["previous": p1, "current": p2, "change": p2 - p1, "significant": abs(p2 - p1) > 1.959_963_984_540_054 * error]
    }

    private func trendRow(from before: [FeedbackEvent], to after: [FeedbackEvent], previous: Cell) -> [String: Any] {
        func pair(_ old: Counts, _ new: Counts) -> [String: Any]? {
            guard old.n >= minimum, new.n >= minimum else { return nil }
            return Self.change((old.hits, old.n), (new.hits, new.n))
        }
        func pairs(_ old: [String: Counts], _ new: [String: Counts]) -> [String: Any] {
            var result: [String: Any] = [:]
            for (name, counts) in new { if let old = old[name], let value = pair(old, counts) { result[name] = value } }
            return result
        }
        var row: [String: Any] = ["previousFiscalYear": previous.fiscalYear, "previousQuarter": previous.quarter]
        row["trust"] = pair(trustCounts(before), trustCounts(after))
        row["satisfaction"] = pair(satisfactionCounts(before), satisfactionCounts(after))
        if let old = nps(before), let new = nps(after) {
            let error = (old.error * old.error + new.error * new.error).squareRoot()
            row["nps"] = [
                "previous": old.score, "current": new.score, "change": new.score - old.score,
                "significant": abs(new.score - old.score) > 1.959_963_984_540_054 * error,
            ]
        }
        row["drivers"] = [
            "topTwoBox": pairs(legacyDriverCounts(before), legacyDriverCounts(after)),
            "wentWell": pairs(tickCounts(before, wentWell: true), tickCounts(after, wentWell: true)),
            "didNotGoWell": pairs(tickCounts(before, wentWell: false), tickCounts(after, wentWell: false)),
        ]
        return row
    }
}
