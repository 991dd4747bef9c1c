import CivicModels
import Foundation

/// A generated corpus of survey comments with planted themes and planted effects on trust, for checking that
/// theme extraction and key-driver analysis find what was planted (CivicInsightsTests, InsightsBench).
///
/// Each comment is a function of its index and the seed, so a corpus of any size can be walked more than once
/// without being held in memory. Seven themes, each present independently with probability
/// ``themeProbability`` (so comments mix themes, and about a third have none), written in several phrasings,
/// sometimes negated (`the agent was not helpful`), with misspellings (``misspellingRate`` of longer words),
/// redaction placeholders (`[EMAIL]`), the agency's names, and filler sentences that belong to no theme.
///
/// Trust: on A-11 v2, thumbs up with probability `0.62 + Σ effect` over the comment's themes (a linear
/// probability model, exact: it never leaves 0...1); went-well options follow thumbs up and didn't-go-well
/// options thumbs down (the display logic), ticking each present theme's option with probability 0.7 and
/// another at random with 0.2. On A-11 v1, six Likert answers uniform on 1...5 and independent, and a trust
/// answer whose mean is `3 + Σ β (x - 3)` (``v1Effects``), drawn as `floor(m) + Bernoulli(m - floor(m))`.
package struct PlantedCommentCorpus: Sendable {
    /// A planted theme.
    package struct Theme: Sendable {
        /// A short name.
        package var name: String
        /// Its effect on the probability of thumbs up (v2).
        package var effect: Double
        /// The A-11 v2 option its comments go with.
        package var option: String
        /// Its words: a comment has the theme when it has one of these phrasings.
        package var phrases: [String]
        /// Negated phrasings (still the theme's topic).
        package var negated: [String]
    }

    /// One generated comment and its truth.
    package struct Comment: Sendable {
        package var eventId: String
        package var text: String
        /// Indices into ``PlantedCommentCorpus/themes``.
        package var themes: [Int]
        package var trustUp: Bool
        /// v1: the trust answer 1-5 and the six other Likert answers in ``v1Effects`` order.
        package var trustValue: Int
        package var likert: [Int]
        package var wentWell: [String]
        package var didNotGoWell: [String]
        package var sentiment: Double
        package var channel: String
        package var touchpoint: String
        package var stage: String
    }

    /// The planted themes, largest effect on trust first.
    package static let themes: [Theme] = [
        Theme(
            name: "wait",
            effect: -0.20,
            option: "efficiency",
            phrases: [
                "I waited on hold for hours", "the wait on hold was far too long", "long hold and a long wait to reach anyone",
                "had to wait on hold forever", "waiting on hold took my whole afternoon",
            ],
            negated: ["the wait on hold was not long at all", "I did not have to wait on hold"]
        ),
        Theme(
            name: "login",
            effect: -0.16,
            option: "ease",
            phrases: [
                "the login page kept rejecting my password", "login failed every time I entered my password",
                "password reset for my account login never arrived", "locked out of my account at login after a password reset",
            ],
            negated: ["login was not a problem, my password worked"]
        ),
        Theme(
            name: "refund",
            effect: -0.12,
            option: "effectiveness",
            phrases: [
                "my refund is delayed by months", "the refund has been delayed for months",
                "months later my refund is still delayed", "where is my refund, it has been months",
            ],
            negated: []
        ),
        Theme(
            name: "helpful staff",
            effect: 0.09,
            option: "employee",
            phrases: [
                "the agent was helpful and patient", "a helpful agent explained my options", "staff were friendly and helpful",
                "the agent on duty was so helpful",
            ],
            negated: ["the agent was not helpful"]
        ),
        Theme(
            name: "confusing form",
            effect: -0.07,
            option: "transparency",
            phrases: [
                "the form was confusing", "confusing instructions on the form", "the application form questions were confusing",
                "I found the form instructions confusing",
            ],
            negated: []
        ),
        Theme(
            name: "easy website",
            effect: 0.05,
            option: "ease",
            phrases: [
                "the website was easy to use", "easy to find everything on the website", "website was quick and easy",
                "an easy website for a change",
            ],
            negated: ["the website was not easy"]
        ),
        Theme(
            name: "next steps",
            effect: 0.03,
            option: "transparency",
            phrases: [
                "clear explanation of the next steps", "they explained the next steps", "the next steps were laid out",
                "I knew the next steps right away",
            ],
            negated: []
        ),
    ]

    /// The v1 Likert predictors of trust and their planted coefficients, largest first.
    package static let v1Effects: [(name: String, beta: Double)] = [
        ("ease", 0.30), ("efficiency", 0.22), ("satisfaction", 0.15), ("employee", 0.10), ("effectiveness", 0.05),
        ("transparency", 0.02),
    ]

    /// The v2 options.
    package static let options = ["effectiveness", "ease", "efficiency", "transparency", "humanity", "employee"]
    package static let channels = ["web", "phone", "in-person", "mobile"]
    package static let touchpoints = ["after-filing", "status-check", "payment"]
    package static let stages = ["start", "apply", "decision"]
    /// The agency's names, which comments use and themes must leave out.
    package static let agencyNames = ["IRS", "Internal Revenue Service"]
    /// The base probability of thumbs up (v2).
    package static let baseTrust = 0.62
    package static let themeProbability = 0.15
    package static let misspellingRate = 0.06

    private static let filler = [
        "I used this for my taxes this year", "this was my second visit", "I called on Monday morning",
        "my neighbour told me about it", "I did this from my kitchen table", "it was a normal day", "I came back to check again",
        "my daughter sat with me", "I sent everything in by mail last year", "I have done this before",
        "I did not need anything else", "you can reach me at [EMAIL] or [PHONE]", "my name is [NAME]",
        "I dealt with the IRS today", "the Internal Revenue Service sent me a letter", "my SSN is [SSN]",
    ]

    /// The seed.
    package let seed: UInt64
    /// The number of comments.
    package let count: Int
    /// Themes (indices into ``themes``) never planted in this corpus (an earlier quarter without them).
    package let absentThemes: Set<Int>

    /// A corpus of `count` comments fixed by `seed`.
    package init(seed: UInt64, count: Int, absentThemes: Set<Int> = []) {
        self.seed = seed
        self.count = count
        self.absentThemes = absentThemes
    }

    /// Comment `index` (0..<count).
    package func comment(at index: Int) -> Comment {
        var rng = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03)
        func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
        var present: [Int] = []
        for theme in Self.themes.indices where chance(Self.themeProbability) && !absentThemes.contains(theme) { present.append(theme) }
        var sentences: [(text: String, sentiment: Double)] = []
        for theme in present {
            let planted = Self.themes[theme]
            let sign = planted.effect < 0 ? -1.0 : 1.0
            if !planted.negated.isEmpty, chance(0.15) {
                sentences.append((planted.negated[Int.random(in: 0..<planted.negated.count, using: &rng)], -0.4 * sign))
            } else {
                sentences.append((planted.phrases[Int.random(in: 0..<planted.phrases.count, using: &rng)], 0.5 * sign))
            }
        }
        for _ in 0..<Int.random(in: 0...2, using: &rng) {
            sentences.append((Self.filler[Int.random(in: 0..<Self.filler.count, using: &rng)], 0))
        }
        sentences.shuffle(using: &rng)
        let text = sentences.map { sentence in
            sentence.text.split(separator: " ").map { word -> String in
                guard word.count >= 5, !word.hasPrefix("["), chance(Self.misspellingRate) else { return String(word) }
                return Self.misspell(String(word), using: &rng)
            }.joined(separator: " ")
        }.joined(separator: ". ")
        let sentiment = max(-1, min(1, sentences.map(\.sentiment).reduce(0, +) + Double.random(in: -0.2...0.2, using: &rng)))

        // v2 trust and options.
        let probability = Self.baseTrust + present.reduce(0) { $0 + Self.themes[$1].effect }
        let up = chance(probability)
        var ticked: [String] = []
        for theme in present where (Self.themes[theme].effect > 0) == up && chance(0.7) { ticked.append(Self.themes[theme].option) }
        if chance(0.2) { ticked.append(Self.options[Int.random(in: 0..<Self.options.count, using: &rng)]) }
        ticked = Array(Set(ticked)).sorted()

        // v1 answers.
        let likert = Self.v1Effects.map { _ in Int.random(in: 1...5, using: &rng) }
        let mean = 3 + zip(Self.v1Effects, likert).reduce(0) { $0 + $1.0.beta * Double($1.1 - 3) }
        let whole = mean.rounded(.down)
        let trustValue = Int(whole) + (chance(mean - whole) ? 1 : 0)

        return Comment(
            eventId: "planted-\(seed)-\(index)",
            text: text.prefix(1).uppercased() + text.dropFirst() + ".",
            themes: present,
            trustUp: up,
            trustValue: trustValue,
            likert: likert,
            wentWell: up ? ticked : [],
            didNotGoWell: up ? [] : ticked,
            sentiment: sentiment,
            channel: Self.channels[Int.random(in: 0..<Self.channels.count, using: &rng)],
            touchpoint: Self.touchpoints[Int.random(in: 0..<Self.touchpoints.count, using: &rng)],
            stage: Self.stages[Int.random(in: 0..<Self.stages.count, using: &rng)]
        )
    }

    /// One random edit of `word`: a dropped, doubled, swapped or replaced letter.
    private static func misspell(_ word: String, using rng: inout SeededGenerator) -> String {
        var letters = Array(word)
        let position = Int.random(in: 1..<(letters.count - 1), using: &rng)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: letters.remove(at: position)
        case 1: letters.insert(letters[position], at: position)
        case 2: letters.swapAt(position, position + 1)
        default: letters[position] = Array("abcdefghijklmnopqrstuvwxyz")[Int.random(in: 0..<26, using: &rng)]
        }
        return String(letters)
    }

    /// The planted general-dominance weights (R² each v1 predictor accounts for) of trust on the v1 answers:
    /// with independent predictors, `β² Var(x) / Var(y)`, `Var(x) = 2` on a uniform 1...5, and
    /// `Var(y) = Var(m) + E[(m - ⌊m⌋)(1 - (m - ⌊m⌋))]` over every combination of answers.
    package static func plantedV1Weights() -> [Double] {
        let betas = v1Effects.map(\.beta)
        var bernoulli = 0.0
        var combinations = 0
        func walk(_ depth: Int, _ mean: Double) {
            if depth == betas.count {
                let fraction = mean - mean.rounded(.down)
                bernoulli += fraction * (1 - fraction)
                combinations += 1
                return
            }
            for x in 1...5 { walk(depth + 1, mean + betas[depth] * Double(x - 3)) }
        }
        walk(0, 3)
        let variance = 2 * betas.reduce(0) { $0 + $1 * $1 } + bernoulli / Double(combinations)
        return betas.map { 2 * $0 * $0 / variance }
    }

    /// The planted general-dominance weights of trust (thumbs up) on the v2 themes' presence:
    /// `effect² q (1 - q) / Var(y)` with q = ``themeProbability`` and `Var(y) = p̄ (1 - p̄)`.
    package static func plantedV2Weights() -> [Double] {
        let q = themeProbability
        let mean = baseTrust + themes.reduce(0) { $0 + $1.effect * q }
        return themes.map { $0.effect * $0.effect * q * (1 - q) / (mean * (1 - mean)) }
    }
}

extension PlantedCommentCorpus.Comment {
    /// The comment as the scored A-11 v2 response reporting stores: thumbs up or down, its went-well or
    /// didn't-go-well options by the display logic, its touchpoint, an anonymous respondent, not spam, and its
    /// planted sentiment as the compound score. Its event id is the comment's with `-<service>` appended.
    package func scoredV2Event(agency: String, service: String, channel: Channel, at date: Date) -> FeedbackEvent {
        var event = FeedbackEvent(
            schema: SchemaVersion.scored,
            eventId: eventId + "-\(service)",
            occurredAt: date,
            agency: agency,
            service: service,
            channel: channel,
            touchpoint: touchpoint,
            form: .a11v2,
            answers: Answers(
                trust: .thumbs(trustUp ? 1 : 0),
                wentWell: trustUp ? wentWell.compactMap(Driver.init(rawValue:)) : nil,
                didNotGoWell: trustUp ? nil : didNotGoWell.compactMap(Driver.init(rawValue:))
            ),
            comment: text
        )
        event.respondent = Respondent(status: .anonymous)
        event.spam = SpamAssessment(flagged: false, reasons: [])
        event.sentiment = SentimentScores(neg: 0, neu: 1, pos: 0, compound: sentiment)
        return event
    }
}
