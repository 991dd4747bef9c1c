import Foundation

/// The body of `GET /v1/reports/relationships`: respondents (pseudonyms, linked across key rotations)
/// across all their interactions and agencies in one fiscal quarter.
///
/// With `agency`, the respondents are those who answered that agency's surveys in the quarter; their
/// interactions and agencies are still counted across all agencies (that is the relationship), but trust
/// figures use only their answers about that agency (the A-11 trust question names the agency).
package struct RelationshipReport: Codable, Sendable, Equatable {
    /// The agency filter, if any.
    var agency: String?
    /// Fiscal year.
    var fiscalYear: Int
    /// Fiscal quarter, 1-4.
    var quarter: Int
    /// Cells under this size are suppressed.
    var minimumCellSize: Int
    /// Quarters in the trust trend window, ending with this one.
    var trendQuarters: Int
    /// Whether the figures are withheld because there are fewer respondents than the minimum cell size.
    var suppressed: Bool
    /// Linked respondents; `nil` when suppressed.
    var respondents: Int?
    /// Mean responses per respondent in the quarter, across all agencies.
    var interactionsPerRespondent: Double?
    /// Mean distinct agencies per respondent in the quarter.
    var agenciesPerRespondent: Double?
    /// Respondents who answered more than one agency's surveys in the quarter.
    var multiAgency: Proportion?
    /// Trust at relationship level: each respondent's last trust answer in the quarter, favourable share.
    var trust: Proportion?
    /// First versus last trust answer of each respondent with at least two trust answers in the window.
    var trend: TrustTrend?
    /// Whether the trend is withheld because fewer respondents than the minimum have two trust answers.
    var trendSuppressed: Bool
    /// Responses in the quarter without a pseudonym (never linked); `nil` when under the minimum cell size.
    var anonymousResponses: Int?
    /// Whether ``anonymousResponses`` is withheld because it is under the minimum cell size (and not 0).
    var anonymousSuppressed: Bool
}

/// How respondents' trust moved between their first and last answer in the window.
///
/// Two answers on the same scale (thumbs, or 1-5) compare by value; answers on different scales compare
/// favourable (thumbs up, 4-5) against unfavourable.
struct TrustTrend: Codable, Sendable, Equatable {
    /// Respondents compared.
    var n: Int
    /// Share whose last answer is higher than their first.
    var improved: Proportion?
    /// Share whose answers compare equal.
    var unchanged: Proportion?
    /// Share whose last answer is lower than their first.
    var declined: Proportion?
}

/// One response of a known respondent, as the relationship report reads it.
struct RelationshipResponse: Sendable {
    var pseudonym: String
    var previousPseudonyms: [String]
    var agency: String
    var quarter: FiscalQuarter
    var trust: TrustScore?
}

/// A trust answer reduced to what the trend compares.
struct TrustScore: Equatable, Sendable {
    /// `thumbs` (0/1) or `five` (1-5: v2 likert5 and v1 trust).
    var scale: String
    var value: Int

    var isFavourable: Bool { scale == "thumbs" ? value == 1 : value >= 4 }

    /// -1, 0 or 1: how `later` compares to `self`.
    func movement(to later: TrustScore) -> Int {
        if scale == later.scale { return later.value == value ? 0 : (later.value > value ? 1 : -1) }
        return later.isFavourable == isFavourable ? 0 : (later.isFavourable ? 1 : -1)
    }
}

/// The relationship figures computed from responses (in `occurredAt` order), free of the database.
struct RelationshipFigures: Equatable {
    var respondents = 0
    var interactions = 0
    var agencies = 0
    var multiAgency = 0
    var trustN = 0
    var trustFavourable = 0
    var trendN = 0
    var improved = 0
    var unchanged = 0
    var declined = 0

    init(responses: [RelationshipResponse], quarter: FiscalQuarter, agency: String?) {
        var linker = PseudonymLinker()
        for response in responses { linker.link(response.pseudonym, previous: response.previousPseudonyms) }
        struct Respondent {
            var inScope = false
            var interactions = 0
            var agencies: Set<String> = []
            var lastTrustInQuarter: TrustScore?
            var firstTrust: TrustScore?
            var lastTrust: TrustScore?
            var trustAnswers = 0
        }
        var people: [String: Respondent] = [:]
        for response in responses {
            let id = linker.respondent(of: response.pseudonym)
            var person = people[id] ?? Respondent()
            let trustCounts = agency == nil || response.agency == agency
            if response.quarter == quarter {
                person.interactions += 1
                person.agencies.insert(response.agency)
                if trustCounts { person.inScope = true }
                if trustCounts, let trust = response.trust { person.lastTrustInQuarter = trust }
            }
            if trustCounts, let trust = response.trust {
                if person.firstTrust == nil { person.firstTrust = trust }
                person.lastTrust = trust
                person.trustAnswers += 1
            }
            people[id] = person
        }
        for person in people.values where person.inScope {
            respondents += 1
            interactions += person.interactions
            agencies += person.agencies.count
            if person.agencies.count > 1 { multiAgency += 1 }
            if let trust = person.lastTrustInQuarter {
                trustN += 1
                if trust.isFavourable { trustFavourable += 1 }
            }
            if person.trustAnswers >= 2, let first = person.firstTrust, let last = person.lastTrust {
                trendN += 1
                switch first.movement(to: last) {
                case 1: improved += 1
                case -1: declined += 1
                default: unchanged += 1
                }
            }
        }
    }
}
