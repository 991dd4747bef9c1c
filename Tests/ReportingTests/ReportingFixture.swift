import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTesting
import Foundation
import Logging
import Reporting
import ReportingCore
import ReportingWeb
import ServiceLifecycle
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What the generator knows about each event it published: the ground truth the tests recompute the
/// levels and exports from, independently of reporting's own linking and grouping.
struct GeneratedResponse {
    var event: FeedbackEvent
    /// The real person (`nil` for anonymous responses), whatever pseudonym the event carries.
    var person: String?
    /// The real journey (person + journeyId) for journey-level responses.
    var journey: String?
    var spam: Bool
    var quarter: FiscalQuarter
}

/// The reporting service, in process, against a real Tansu broker and a real PostgreSQL, fed a
/// generated data set over Kafka once for the whole suite.
final class ReportingFixture: Sendable {
    static let minimumCellSize = 10
    static let journeyStages = ["apply", "verify", "decide", "pay"]

    let port: Int
    let configuration: ReportingConfiguration
    /// The operators' administration token the fixture's reporting runs with.
    let adminToken: String
    /// A cross-agency analyst reporting token: what ``get(_:)`` sends.
    let analystToken: String
    let responses: [GeneratedResponse]
    let operations: [OperationsEvent]
    private let group: ServiceGroup
    private let runner: Task<Void, any Error>

    private static let sharedInstance = Mutex<Task<ReportingFixture, any Error>?>(nil)

    static func shared() async throws -> ReportingFixture {
        let task = sharedInstance.withLock { task in
            if let task { return task }
            let created = Task { try await ReportingFixture() }
            task = created
            return created
        }
        return try await task.value
    }

    private init() async throws {
        let logger = Logger(label: "reporting-fixture")
        let broker = try await TestBroker()
        let database = try await TestPostgres.shared().makeDatabase(prefix: "levels")
        let stagesFile = FileManager.default.temporaryDirectory.appendingPathComponent("civic-stages-\(UUID().uuidString.prefix(8)).json")
        try Data(#"{"DOL/unemployment": ["apply", "verify", "decide", "pay"]}"#.utf8).write(to: stagesFile)
        var runtime = RuntimeConfiguration(serviceName: "reporting", broker: broker)
        runtime.postgresURL = database
        runtime.httpPort = try freeLoopbackPort()
        runtime.batchSize = 200
        var configuration = ReportingConfiguration(runtime: runtime)
        configuration.journeyStagesFile = stagesFile.path
        configuration.minimumCellSize = Self.minimumCellSize
        // One service answers every suite's tests at once: as many Touchpoints streams as they run in parallel.
        configuration.packageLimits.concurrentStreams = 64
        let adminToken = TestHTTP.randomSecret()
        configuration.adminToken = adminToken
        self.adminToken = adminToken
        port = runtime.httpPort
        self.configuration = configuration
        let services = try await buildReporting(configuration: configuration, registry: nil, logger: logger)
        let group = ServiceGroup(services: services, logger: logger)
        self.group = group
        runner = Task {
            try await group.run()
            _ = broker  // the broker lives as long as the service
        }

        var generator = DataSetGenerator()
        generator.generate()
        responses = generator.responses
        operations = generator.operations

        let producer = try KafkaProducer(configuration: runtime.kafkaProducer, logger: logger)
        let encoder = CivicJSON.makeEncoder()
        var messages: [KafkaOutboundMessage] = []
        for response in responses {
            let key = response.event.respondent?.pseudonym ?? response.event.eventId
            messages.append(KafkaOutboundMessage(topic: CivicTopic.scored, key: key, value: Array(try encoder.encode(response.event))))
        }
        for event in operations {
            messages.append(KafkaOutboundMessage(topic: CivicTopic.operations, key: event.eventId, value: Array(try encoder.encode(event))))
        }
        _ = try await producer.send(messages)
        await producer.close()

        // Wait until reporting stored every event (it consumes asynchronously).
        let client = PostgresClient(configuration: PostgresConfiguration(connectionString: database), logger: logger)
        defer { client.close() }
        let expected = responses.count + operations.count
        let deadline = ContinuousClock.now + TestPatience.hang
        while true {
            let stored = try? await client.query(
                "SELECT (SELECT count(*) FROM reporting.feedback) + (SELECT count(*) FROM reporting.operations) AS n"
            )
            if let n = try stored?.first?.require("n", as: Int.self), n == expected { break }
            guard ContinuousClock.now < deadline else {
                throw TestEnvironmentError(
                    "reporting stored \(String(describing: try stored?.first?.decode("n", as: Int.self))) of \(expected) events"
                )
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        analystToken = try await TestHTTP.mintReportingToken(
            base: "http://127.0.0.1:\(runtime.httpPort)",
            adminToken: adminToken,
            agency: "*",
            role: "analyst"
        )
    }

    /// The service's base URL.
    var base: String { "http://127.0.0.1:\(port)" }

    /// GET on the service as a cross-agency analyst; returns the status and body.
    func get(_ path: String) async throws -> (Int, Data) {
        let answer = try await TestHTTP.send("GET", base + path, bearer: analystToken)
        return (answer.status, answer.body)
    }

    func getText(_ path: String) async throws -> (Int, String) {
        let (status, data) = try await get(path)
        return (status, String(decoding: data, as: UTF8.self))
    }
}

/// Generates the suite's data set: journeys, multi-agency relationships with key rotations, Touchpoints
/// and legacy collections, spam, anonymous responses, a small cell, and operational volumes.
struct DataSetGenerator {
    var random = SeededGenerator(seed: 20_261_122)
    var responses: [GeneratedResponse] = []
    var operations: [OperationsEvent] = []
    private var clock = 0

    static let fy27q2 = FiscalQuarter(fiscalYear: 2027, quarter: 2)

    /// A unique instant in `quarter` (about `day` days into it), strictly later than every earlier call's.
    mutating func instant(_ quarter: FiscalQuarter, day: Int) -> Date {
        clock += 1
        let start = Self.quarterStart(quarter)
        return start.addingTimeInterval(Double(day) * 86_400 + Double(clock))
    }

    static func quarterStart(_ quarter: FiscalQuarter) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let month = (quarter.quarter - 1) * 3 + 10
        let year = month > 12 ? quarter.fiscalYear : quarter.fiscalYear - 1
        return calendar.date(from: DateComponents(year: year, month: month > 12 ? month - 12 : month, day: 1))!
    }

    mutating func add(
        id: String,
        at date: Date,
        quarter: FiscalQuarter,
        agency: String = "DOL",
        service: String,
        channel: Channel = .web,
        level: MeasurementLevel = .transaction,
        journeyId: String? = nil,
        stage: String? = nil,
        form: SurveyForm = .a11v2,
        answers: Answers,
        comment: String? = nil,
        person: String? = nil,
        pseudonym: String? = nil,
        previous: [String]? = nil,
        spam: Bool = false
    ) {
        var event = FeedbackEvent(
            schema: SchemaVersion.scored,
            eventId: id,
            occurredAt: date,
            agency: agency,
            service: service,
            channel: channel,
            level: level,
            journeyId: journeyId,
            stage: stage,
            form: form,
            answers: answers,
            comment: comment
        )
        event.respondent =
            pseudonym.map { Respondent(status: .verified, pseudonym: $0, previousPseudonyms: previous) } ?? Respondent(status: .anonymous)
        event.spam = SpamAssessment(flagged: spam, reasons: spam ? [.repeatedText] : [])
        responses.append(
            GeneratedResponse(
                event: event,
                person: pseudonym == nil ? nil : person,
                journey: journeyId.flatMap { id in person.map { "\($0)|\(id)" } },
                spam: spam,
                quarter: quarter
            )
        )
    }

    mutating func thumbsOrNone() -> TrustAnswer? {
        switch Int.random(in: 0..<3, using: &random) {
        case 0: nil
        case 1: .thumbs(1)
        default: .thumbs(0)
        }
    }

    mutating func generate() {
        let q2 = Self.fy27q2
        // Journeys with a configured stage order; some pseudonyms rotate mid-journey.
        for j in 0..<60 {
            let person = "person-\(j % 40)"
            let furthest = Int.random(in: 0..<4, using: &random)
            let rotates = j % 7 == 0 && furthest >= 1
            for stage in 0...furthest {
                let rotated = rotates && stage >= 1
                add(
                    id: "journey-\(j)-\(stage)",
                    at: instant(q2, day: 3 + stage * 5),
                    quarter: q2,
                    service: "unemployment",
                    level: .journey,
                    journeyId: "J\(j)",
                    stage: ReportingFixture.journeyStages[stage],
                    answers: Answers(trust: thumbsOrNone()),
                    person: person,
                    pseudonym: rotated ? "\(person)-k2" : person,
                    previous: rotated ? [person] : nil
                )
            }
            if j % 12 == 1 {
                // Spam at the last stage: counted, it would complete the journey.
                add(
                    id: "journey-\(j)-spam",
                    at: instant(q2, day: 40),
                    quarter: q2,
                    service: "unemployment",
                    level: .journey,
                    journeyId: "J\(j)",
                    stage: "pay",
                    answers: Answers(trust: .thumbs(1)),
                    person: person,
                    pseudonym: person,
                    spam: true
                )
            }
            if j == 5 || j == 6 {
                add(
                    id: "journey-\(j)-appeal",
                    at: instant(q2, day: 45),
                    quarter: q2,
                    service: "unemployment",
                    level: .journey,
                    journeyId: "J\(j)",
                    stage: "appeal",
                    answers: Answers(trust: thumbsOrNone()),
                    person: person,
                    pseudonym: person
                )
            }
        }
        // Journeys that started in the previous quarter belong to it, even with responses in this one.
        let q1 = FiscalQuarter(fiscalYear: 2027, quarter: 1)
        for j in 0..<3 {
            let person = "early-\(j)"
            add(
                id: "early-\(j)-0",
                at: instant(q1, day: 80),
                quarter: q1,
                service: "unemployment",
                level: .journey,
                journeyId: "E\(j)",
                stage: "apply",
                answers: Answers(trust: .thumbs(0)),
                person: person,
                pseudonym: person
            )
            add(
                id: "early-\(j)-1",
                at: instant(q2, day: 2),
                quarter: q2,
                service: "unemployment",
                level: .journey,
                journeyId: "E\(j)",
                stage: "verify",
                answers: Answers(trust: .thumbs(1)),
                person: person,
                pseudonym: person
            )
        }
        // Anonymous journey responses: counted apart, never linked.
        for a in 0..<11 {
            add(
                id: "journey-anon-\(a)",
                at: instant(q2, day: 10),
                quarter: q2,
                service: "unemployment",
                level: .journey,
                journeyId: "J0",
                stage: "pay",
                answers: Answers(trust: .thumbs(1))
            )
        }
        // A service without a configured order: stages by first appearance.
        for j in 0..<12 {
            let person = "renewer-\(j)"
            let furthest = j < 2 ? 2 : Int.random(in: 0..<3, using: &random)
            for stage in 0...furthest {
                add(
                    id: "renewal-\(j)-\(stage)",
                    at: instant(q2, day: 2 + stage * 10),
                    quarter: q2,
                    service: "passport-renewal",
                    level: .journey,
                    journeyId: "R\(j)",
                    stage: ["start", "upload", "submit"][stage],
                    answers: Answers(trust: thumbsOrNone()),
                    person: person,
                    pseudonym: person
                )
            }
        }
        // Too few journeys to show.
        for j in 0..<5 {
            for stage in 0..<3 {
                add(
                    id: "small-\(j)-\(stage)",
                    at: instant(q2, day: 20 + stage),
                    quarter: q2,
                    service: "small-journeys",
                    level: .journey,
                    journeyId: "S\(j)",
                    stage: "s\(stage)",
                    answers: Answers(trust: .thumbs(1)),
                    person: "small-\(j)",
                    pseudonym: "small-\(j)"
                )
            }
        }
        generateRelationships()
        generateCollections()
    }

    /// Respondents across two agencies over five quarters (one before the trend window), with every trust scale.
    mutating func generateRelationships() {
        let quarters = [
            FiscalQuarter(fiscalYear: 2026, quarter: 2), FiscalQuarter(fiscalYear: 2026, quarter: 3),
            FiscalQuarter(fiscalYear: 2026, quarter: 4), FiscalQuarter(fiscalYear: 2027, quarter: 1), Self.fy27q2,
        ]
        for p in 0..<45 {
            let person = "citizen-\(p)"
            let count = Int.random(in: 1...6, using: &random)
            // Responses in time order: sort the quarters chosen.
            var chosen = (0..<count).map { _ in quarters[Int.random(in: 0..<quarters.count, using: &random)] }
            if p % 3 != 2 { chosen.append(Self.fy27q2) }
            chosen.sort()
            for (index, quarter) in chosen.enumerated() {
                let agency = Bool.random(using: &random) ? "DOL" : "SSA"
                let rotated = p % 5 == 0 && index > 0
                var form = SurveyForm.a11v2
                var answers: Answers
                switch Int.random(in: 0..<4, using: &random) {
                case 0: answers = Answers(trust: .thumbs(Int.random(in: 0...1, using: &random)))
                case 1: answers = Answers(trust: .likert5(Int.random(in: 1...5, using: &random)))
                case 2:
                    form = .a11v1
                    answers = Answers(trust: .legacy(Int.random(in: 1...5, using: &random)), satisfaction: 4)
                default: answers = Answers(recommend: 7)
                }
                add(
                    id: "rel-\(p)-\(index)",
                    at: instant(quarter, day: 10 + index),
                    quarter: quarter,
                    agency: agency,
                    service: "benefits",
                    form: form,
                    answers: answers,
                    person: person,
                    pseudonym: rotated ? "\(person)-k2" : person,
                    previous: rotated ? [person] : nil,
                    spam: p % 11 == 3 && index == 0
                )
            }
        }
    }

    static let comments: [String?] = [
        "Fast, easy, and clear.", "She said \"great job\" twice", "line one\nline two", "plain comment", nil,
        "crlf\r\nend, with \"quotes\", commas", "",
    ]

    /// Touchpoints and legacy collections, spam, a small cell, and operational volumes.
    mutating func generateCollections() {
        let q2 = Self.fy27q2
        for r in 0..<25 {
            let trust: TrustAnswer = r % 2 == 0 ? .thumbs(Int.random(in: 0...1, using: &random)) : .likert5(Int.random(in: 1...5, using: &random))
            let drivers = Driver.allCases.filter { _ in Bool.random(using: &random) }
            add(
                id: "claims-web-\(r)",
                at: instant(q2, day: 30),
                quarter: q2,
                service: "claims",
                answers: trust.isFavourable ? Answers(trust: trust, wentWell: drivers) : Answers(trust: trust, didNotGoWell: drivers),
                comment: Self.comments[r % Self.comments.count]
            )
        }
        for s in 0..<3 {
            add(
                id: "claims-spam-\(s)",
                at: instant(q2, day: 31),
                quarter: q2,
                service: "claims",
                answers: Answers(trust: .thumbs(1), wentWell: [.ease]),
                comment: "SPAMCOMMENT \(s)",
                spam: true
            )
        }
        for r in 0..<12 {
            func likert() -> Int? { Int.random(in: 0...5, using: &random).nonZero }
            add(
                id: "claims-phone-\(r)",
                at: instant(q2, day: 32),
                quarter: q2,
                service: "claims",
                channel: .phone,
                form: .a11v1,
                answers: Answers(
                    trust: likert().map(TrustAnswer.legacy),
                    satisfaction: likert(),
                    effectiveness: likert(),
                    ease: likert(),
                    efficiency: likert(),
                    transparency: likert(),
                    employee: likert()
                )
            )
        }
        for r in 0..<9 {
            add(
                id: "tiny-web-\(r)",
                at: instant(q2, day: 33),
                quarter: q2,
                service: "tiny",
                answers: Answers(trust: .thumbs(1), wentWell: [.ease]),
                comment: "TINYCOMMENT \(r)"
            )
        }
        for r in 0..<4 {
            add(
                id: "tiny-mail-\(r)",
                at: instant(q2, day: 34),
                quarter: q2,
                service: "tiny",
                channel: .mail,
                form: .a11v1,
                answers: Answers(trust: .legacy(5), satisfaction: 5),
                comment: "TINYCOMMENT mail \(r)"
            )
        }
        for o in 0..<40 {
            operations.append(
                OperationsEvent(
                    eventId: "ops-claims-\(o)",
                    occurredAt: instant(q2, day: 35),
                    agency: "DOL",
                    service: "claims",
                    channel: .web,
                    handleSeconds: 100,
                    surveyOffered: o < 30 ? true : (o < 35 ? false : nil)
                )
            )
        }
        for o in 0..<7 {
            operations.append(
                OperationsEvent(
                    eventId: "ops-tiny-\(o)",
                    occurredAt: instant(q2, day: 36),
                    agency: "DOL",
                    service: "tiny",
                    channel: .web,
                    surveyOffered: true
                )
            )
        }
    }
}

extension Int {
    fileprivate var nonZero: Int? { self == 0 ? nil : self }
}
