import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

@testable import ReportingCore

/// Safe publication: no withheld count of any report can be derived from the published ones, however the
/// reports are grouped; tried by an adversary that knows the table's sums and subtracts until nothing changes,
/// over a generated data set stored in a real PostgreSQL and read through the reports' own query.
@Suite(.hangGuard) struct ComplementarySuppressionTests {
    typealias Node = ComplementarySuppression.Node
    static let logger = Logger(label: "suppression-tests")

    @Test func theIssuesKioskCellIsNoLongerTheDifference() {
        // One service; channels web 30, phone 14, mail 12 and kiosk 4: the quarter (60) minus the three shown
        // channels gave the kiosk cell. Now a second channel is withheld with it, the smallest one.
        let cells = ["web", "phone", "mail", "kiosk"].map { (service: "benefits", channel: $0) }
        let table = ComplementarySuppression(cells: cells)
        var values: [Node: Int] = [.total: 60, .service("benefits"): 60]
        for (channel, n) in [("web", 30), ("phone", 14), ("mail", 12), ("kiosk", 4)] {
            values[.channel(channel)] = n
            values[.cell(service: "benefits", channel: channel)] = n
        }
        let hidden = table.hidden(values: values, minimum: 10)
        #expect(hidden.contains(.channel("kiosk")) && hidden.contains(.cell(service: "benefits", channel: "kiosk")))
        #expect(hidden.contains(.channel("mail")) && hidden.contains(.cell(service: "benefits", channel: "mail")))
        #expect(!hidden.contains(.channel("web")) && !hidden.contains(.total))
        #expect(table.determined(hidden: hidden).isEmpty)
        // Alone, the primary pattern is exposed: the solver sees it.
        let primary: Set<Node> = [.channel("kiosk"), .cell(service: "benefits", channel: "kiosk")]
        #expect(table.determined(hidden: primary) == primary)
    }

    @Test func aTwoWayTableNeedsMoreThanOneComplementPerLine() {
        // Services a, b; channels x, y. Only (a, x) is small: withholding (a, y) alone leaves it derivable from
        // channel x, so the pattern must close a rectangle.
        let cells = [("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")].map { (service: $0.0, channel: $0.1) }
        let table = ComplementarySuppression(cells: cells)
        let counts = [("a", "x", 3), ("a", "y", 20), ("b", "x", 25), ("b", "y", 30)]
        var values: [Node: Int] = [:]
        for (service, channel, n) in counts {
            values[.cell(service: service, channel: channel)] = n
            values[.service(service), default: 0] += n
            values[.channel(channel), default: 0] += n
            values[.total, default: 0] += n
        }
        let hidden = table.hidden(values: values, minimum: 10)
        #expect(table.determined(hidden: hidden).isEmpty)
        #expect(hidden.isSuperset(of: [.cell(service: "a", channel: "x"), .cell(service: "a", channel: "y"), .cell(service: "b", channel: "x")]))
        #expect(!hidden.contains(.total))
    }

    @Test func noWithheldCountFollowsFromThePublishedOnes() async throws {
        let client = try await TestPostgres.shared().migratedClient(prefix: "adversary", ReportingStore.migrations, logger: Self.logger)
        defer { client.close() }
        let handler = ReportingHandler(store: ReportingStore(client: client), fiscalYearStartMonth: 10, logger: Self.logger)
        var generator = SeededGenerator(seed: 20_261_205)
        let messages = Self.dataSet(using: &generator)
        for start in stride(from: 0, to: messages.count, by: 500) {
            _ = try await handler.handle(Array(messages[start..<min(start + 500, messages.count)]))
        }
        let published = ReportQuery(client: client, minimumCellSize: 10)
        let truth = ReportQuery(client: client, minimumCellSize: 1)
        var withheldSeen = 0
        var leaks: [String] = []
        for agency in ["DOE", "HUD"] {
            for quarter in [1, 2] {
                var filter = ReportQuery.Filter()
                filter.agency = agency
                filter.fiscalYear = 2027
                filter.quarter = quarter
                filter.trend = false
                let shown = try await Self.grid(published, filter)
                let actual = try await Self.grid(truth, filter)
                for count in Self.counts {
                    let known = shown.mapValues { count.value($0) }
                    let real = actual.mapValues { count.value($0) ?? 0 }
                    // A withheld zero is no disclosure: only withheld counts of 1 or more must stay unknown.
                    let withheld = known.filter { $0.value == nil && (real[$0.key] ?? 0) > 0 }.map(\.key)
                    withheldSeen += withheld.count
                    for (node, value) in Self.subtract(known: known, lines: ComplementarySuppression(cells: Self.cells(of: shown)).lines)
                    where withheld.contains(node) {
                        leaks.append("\(agency) Q\(quarter) \(count.name) at \(node): derived \(value), real \(real[node] ?? -1)")
                    }
                }
                // Every shown figure rests on at least the minimum.
                for (node, report) in shown where !report.suppressed {
                    #expect((report.responses ?? 0) >= 10, "\(node)")
                    for proportion in [report.trust, report.satisfaction].compactMap({ $0 }) { #expect(proportion.n >= 10, "\(node)") }
                }
            }
        }
        #expect(withheldSeen > 40, "the data set must exercise suppression")
        #expect(leaks.isEmpty, "\(leaks.prefix(10))")
    }

    /// An additive count the reports publish, read from a report row (`nil` when withheld).
    struct Count: Sendable {
        var name: String
        var value: @Sendable (QuarterlyReport) -> Int?
    }

    static let counts = [
        Count(name: "responses") { $0.responses },
        Count(name: "trust n") { $0.trust?.n },
        Count(name: "trust favourable") { $0.trust?.favourable },
        Count(name: "went well n") { $0.drivers?.wentWell["ease"]?.n },
        Count(name: "went well ease") { $0.drivers?.wentWell["ease"]?.favourable },
        Count(name: "nps n") { $0.nps?.n },
        Count(name: "scored comments") { $0.suppressed ? nil : $0.scoredComments },
        Count(name: "sentiment positive") { $0.sentiment?.positive?.favourable },
        Count(name: "contacts") { $0.operations?.contacts ?? ($0.operationsSuppressed ? nil : 0) },
        Count(name: "first-contact resolved") { $0.operations?.firstContactResolution?.favourable ?? ($0.operationsSuppressed ? nil : 0) },
    ]

    /// The adversary: every published sum with exactly one unknown term gives it; repeated until nothing new.
    static func subtract(known: [Node: Int?], lines: [ComplementarySuppression.Line]) -> [Node: Int] {
        var values: [Node: Int] = [:]
        for (node, value) in known { if let value { values[node] = value } }
        var derived: [Node: Int] = [:]
        var changed = true
        while changed {
            changed = false
            for line in lines {
                let terms = [line.total] + line.parts
                let unknown = terms.filter { values[$0] == nil }
                guard unknown.count == 1, let missing = unknown.first else { continue }
                let partsSum = line.parts.compactMap { values[$0] }.reduce(0, +)
                let value = missing == line.total ? partsSum : (values[line.total] ?? 0) - partsSum
                values[missing] = value
                derived[missing] = value
                changed = true
            }
        }
        return derived
    }

    /// Every node's row of an agency's quarter, at every grouping.
    static func grid(_ query: ReportQuery, _ base: ReportQuery.Filter) async throws -> [Node: QuarterlyReport] {
        var grid: [Node: QuarterlyReport] = [:]
        for (byService, byChannel) in [(false, false), (true, false), (false, true), (true, true)] {
            var filter = base
            filter.byService = byService
            filter.byChannel = byChannel
            for report in try await query.reports(filter) {
                let node: Node =
                    switch (report.service, report.channel) {
                    case (nil, nil): .total
                    case (let service?, nil): .service(service)
                    case (nil, let channel?): .channel(channel)
                    case (let service?, let channel?): .cell(service: service, channel: channel)
                    }
                grid[node] = report
            }
        }
        return grid
    }

    static func cells(of grid: [Node: QuarterlyReport]) -> [(service: String, channel: String)] {
        grid.keys.compactMap { node in
            if case .cell(let service, let channel) = node { return (service, channel) }
            return nil
        }.sorted { ($0.service, $0.channel) < ($1.service, $1.channel) }
    }

    /// Two agencies, two quarters, four services in five channels; each collection empty, small (1-9) or
    /// large (10-40) at random, with comments scored and operational events.
    static func dataSet(using generator: inout SeededGenerator) -> [KafkaConsumerMessage] {
        let encoder = CivicJSON.makeEncoder()
        var messages: [KafkaConsumerMessage] = []
        var offset: Int64 = 0
        func append(_ topic: String, _ value: some Encodable) {
            guard let bytes = try? encoder.encode(value) else { return }
            messages.append(KafkaConsumerMessage(topic: topic, partition: 0, offset: offset, key: nil, value: Array(bytes)))
            offset += 1
        }
        let channels: [Channel] = [.web, .phone, .mail, .kiosk, .chat]
        for agency in ["DOE", "HUD"] {
            for (quarter, month) in [(1, 11), (2, 2)] {
                let occurredAt =
                    DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: .gmt, year: month > 9 ? 2026 : 2027, month: month, day: 10)
                    .date ?? FixtureTime.now
                for service in ["permits", "grants", "loans", "housing"] {
                    for channel in channels {
                        let size =
                            [0, Int.random(in: 1...9, using: &generator), Int.random(in: 10...40, using: &generator)]
                            .randomElement(using: &generator) ?? 0
                        for index in 0..<size {
                            var event = FeedbackEvent(
                                schema: SchemaVersion.scored,
                                eventId: "\(agency)-\(quarter)-\(service)-\(channel.rawValue)-\(index)",
                                occurredAt: occurredAt,
                                agency: agency,
                                service: service,
                                channel: channel,
                                form: .a11v2,
                                answers: Answers(
                                    trust: Bool.random(using: &generator) ? .thumbs(Int.random(in: 0...1, using: &generator)) : nil,
                                    wentWell: Bool.random(using: &generator) ? [.ease] : [],
                                    recommend: Bool.random(using: &generator) ? Int.random(in: 0...10, using: &generator) : nil
                                )
                            )
                            if Bool.random(using: &generator) {
                                let compound = Double.random(in: -1...1, using: &generator)
                                event.comment = "generated"
                                event.sentiment = SentimentScores(neg: 0, neu: 1, pos: 0, compound: compound)
                                event.scorer = ScorerInfo(version: "test", unscoredReason: nil)
                            }
                            append(CivicTopic.scored, event)
                        }
                        for index
                            in 0..<([0, Int.random(in: 1...9, using: &generator), Int.random(in: 10...30, using: &generator)]
                            .randomElement(using: &generator) ?? 0)
                        {
                            append(
                                CivicTopic.operations,
                                OperationsEvent(
                                    eventId: "ops-\(agency)-\(quarter)-\(service)-\(channel.rawValue)-\(index)",
                                    occurredAt: occurredAt,
                                    agency: agency,
                                    service: service,
                                    channel: channel,
                                    handleSeconds: Bool.random(using: &generator) ? Double.random(in: 30...900, using: &generator) : nil,
                                    resolvedFirstContact: Bool.random(using: &generator)
                                )
                            )
                        }
                    }
                }
            }
        }
        return messages
    }
}

/// A deterministic generator (SplitMix64), so the generated data set is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
