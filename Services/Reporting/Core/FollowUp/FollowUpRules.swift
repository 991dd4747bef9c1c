import CivicBytes
import CivicModels
import CivicRuntime
import Crypto
import Foundation

/// Each agency's follow-up rules (`CIVIC_REPORTING_FOLLOWUP_RULES_FILE`): which scored responses open a
/// follow-up for its case system, and its target for resolving one. A rule matches when every condition it
/// names holds; a response opens one follow-up per rule it matches, once.
///
/// ```json
/// {"agencies": {"IRS": {"targetDays": 5, "caseSystemKeys": ["<base64 Ed25519 public key>"], "rules": [
///   {"name": "unhappy-and-frustrated", "trust": "low", "emotionsAny": ["frustration", "confusion"]},
///   {"name": "detractor", "recommendAtMost": 6}]}}}
/// ```
///
/// `caseSystemKeys` are the public keys of the agency's case system (several during a rotation): reporting
/// applies a case update for the agency only when one of them signed it (``CaseUpdate/signature``).
package struct FollowUpRules: Sendable, Equatable {
    /// One rule.
    struct Rule: Codable, Sendable, Equatable {
        /// Its name, kept with each follow-up (1 to 100 characters).
        var name: String
        /// `low`: thumbs down, or 1-2 on a 1-5 scale.
        var trust: TrustCondition?
        /// At least one of these emotions is expressed in the comment.
        var emotionsAny: [String]?
        /// The recommend answer (0-10) is at most this (6 for a detractor).
        var recommendAtMost: Int?
        /// Only responses from verified respondents (so the agency can reach them).
        var verifiedOnly: Bool?

        enum TrustCondition: String, Codable, Sendable {
            case low
        }

        /// The reasons the response matches, or `nil` when it does not.
        func reasons(for event: FeedbackEvent) -> [String]? {
            var reasons: [String] = []
            if trust == .low {
                guard let answer = event.answers.trust, answer.isLow else { return nil }
                reasons.append("trust_low")
            }
            if let emotions = emotionsAny {
                let expressed = emotions.filter { (event.emotions?[$0] ?? 0) > 0 }
                guard !expressed.isEmpty else { return nil }
                reasons += expressed
            }
            if let limit = recommendAtMost {
                guard let recommend = event.answers.recommend, recommend <= limit else { return nil }
                reasons.append("detractor")
            }
            if verifiedOnly == true {
                guard event.respondent?.status == .verified else { return nil }
                reasons.append("verified")
            }
            return reasons
        }
    }

    /// One agency's rules and target.
    struct Agency: Codable, Sendable, Equatable {
        /// Days within which the agency aims to resolve a follow-up (1 to 365).
        var targetDays: Int
        var rules: [Rule]
        /// The case system's Ed25519 public keys (PEM or base64 of the raw 32 bytes); none: every case
        /// update for the agency is refused.
        var caseSystemKeys: [String]?
    }

    var agencies: [String: Agency]
    /// Each agency's case system keys, read from ``Agency/caseSystemKeys``.
    package private(set) var caseSystemKeys: [String: EventVerifyingKeys] = [:]

    /// The file's contents.
    private struct File: Codable {
        var agencies: [String: Agency]
    }

    /// A rules file that cannot be used, with the reason.
    struct Invalid: Error, CustomStringConvertible {
        var reason: String
        var description: String { "follow-up rules: \(reason)" }
    }

    /// No rules: no follow-ups.
    package init() { agencies = [:] }

    /// Reads and checks a rules file.
    /// - Throws: ``Invalid`` for a file that is unreadable or names an empty, unnamed or unbounded rule.
    package init(contentsOf url: URL) throws {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: try Data(contentsOf: url))
        } catch {
            throw Invalid(reason: "\(url.path) is not a rules file: \(error)")
        }
        for (code, agency) in file.agencies {
            guard (1...365).contains(agency.targetDays) else { throw Invalid(reason: "\(code): targetDays must be 1 to 365") }
            for rule in agency.rules {
                guard (1...100).contains(rule.name.count), !rule.name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
                else { throw Invalid(reason: "\(code): a rule's name must be 1 to 100 characters without control characters") }
                guard rule.trust != nil || !(rule.emotionsAny ?? []).isEmpty || rule.recommendAtMost != nil else {
                    throw Invalid(reason: "\(code)/\(rule.name): a rule needs at least one condition (trust, emotionsAny, recommendAtMost)")
                }
                if let limit = rule.recommendAtMost, !(0...10).contains(limit) {
                    throw Invalid(reason: "\(code)/\(rule.name): recommendAtMost must be 0 to 10")
                }
            }
            guard Set(agency.rules.map(\.name)).count == agency.rules.count else { throw Invalid(reason: "\(code): rule names repeat") }
            do throws(EventKeyError) {
                caseSystemKeys[code] = try EventVerifyingKeys(publicKeys: agency.caseSystemKeys ?? [])
            } catch {
                throw Invalid(reason: "\(code): caseSystemKeys: \(error.reason)")
            }
        }
        agencies = file.agencies
    }

    /// The rules `event` matches, with their reasons.
    func matches(_ event: FeedbackEvent) -> [(rule: Rule, reasons: [String])] {
        guard let agency = agencies[event.agency] else { return [] }
        return agency.rules.compactMap { rule in rule.reasons(for: event).map { (rule, $0) } }
    }

    /// The case id of `rule` for `event`: a digest of the agency, the event id and the rule, so the same
    /// response and rule always give the same case.
    static func caseId(agency: String, eventId: String, rule: String) -> String {
        let digest = SHA256.hash(data: Data("\(agency)\u{0}\(eventId)\u{0}\(rule)".utf8))
        return Hex.encode(digest.prefix(16))
    }
}

extension TrustAnswer {
    /// Thumbs down, or 1-2 on a 1-5 scale.
    var isLow: Bool {
        switch self {
        case .thumbs(let value): value == 0
        case .likert5(let value), .legacy(let value): value <= 2
        }
    }
}
