import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// The whole pipeline as operators run it: a real broker, a real PostgreSQL and the four service
/// executables as separate processes, with services killed (SIGKILL) and restarted mid-stream.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct PipelineEndToEndTests {
    static let logger: Logger = {
        var logger = Logger(label: "e2e")
        logger.logLevel = .warning
        return logger
    }()

    @Test func responsesFlowEndToEndWithoutLossOrDoubleCountingAcrossCrashes() async throws {
        let harness = try await PipelineHarness()
        try await harness.startAll()
        let sample = try SampleResponses(count: 1000, now: Date()) { index in
            index % 40 == 5 ? try harness.mintToken(subject: "person-\(index % 120)", agency: SampleResponses.agencies[index % 3]) : nil
        }
        #expect(sample.malformed.count >= 100)

        var producerConfiguration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "e2e")
        )
        producerConfiguration.flushTimeoutMilliseconds = 5_000
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: Self.logger)
        let messages = sample.items.map {
            $0.message()
        }
        let chunks = stride(from: 0, to: messages.count, by: 100).map { Array(messages[$0..<min($0 + 100, messages.count)]) }
        let started = ContinuousClock.now
        for (index, chunk) in chunks.enumerated() {
            try await producer.send(chunk)
            switch index {
            case 3: await harness.crash("identity-verify")
            case 5: try await harness.start("identity-verify")
            case 6: await harness.crash("reporting")
            case 8: try await harness.start("reporting")
            default: break
            }
            try await Task.sleep(for: .milliseconds(150))
        }
        await producer.close()

        // Wait until reporting has counted every valid response.
        let expectedTotal = sample.valid.count
        var counted = 0
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            counted = try await reportedTotal(harness)
            if counted >= expectedTotal { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "end-to-end: \(sample.items.count) messages (\(expectedTotal) valid) through four services in "
                + String(format: "%.2f s = %.0f events/s, including two SIGKILL restarts", seconds, Double(sample.items.count) / seconds)
        )
        #expect(counted == expectedTotal, "reporting counted \(counted) of \(expectedTotal)\n\(harness.logTail("reporting"))")

        // Give any replay a chance to double count, then check the figures exactly.
        try await Task.sleep(for: .seconds(2))
        try await harness.expectPublishedFigures(of: sample)

        // The database holds each valid response once, and nothing else.
        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        let stored = try await database.query("SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM reporting.feedback")
        #expect(try stored.first?.require("n", as: Int.self) == expectedTotal)
        #expect(try stored.first?.require("d", as: Int.self) == expectedTotal)
        // With survey-intake's default spam thresholds the sample's varied comments flag nothing (a flagged
        // response would also be missing from the counts above).
        let flagged = try await database.query("SELECT count(*) AS n FROM intake.responses WHERE spam_flagged")
        #expect(try flagged.first?.require("n", as: Int.self) == 0)
        let distinctComments = Set(
            sample.valid.compactMap { item in
                (try? JSONSerialization.jsonObject(with: Data(item.bytes)) as? [String: Any])?["comment"] as? String
            }
        )
        #expect(distinctComments.count == sample.valid.count, "every valid response has its own comment")
        let duplicates = try await database.query("SELECT count(*) AS n FROM intake.duplicates")
        #expect(try duplicates.first?.require("n", as: Int.self) == sample.items.filter(\.isDuplicate).count)
        let verified = try await database.query(
            "SELECT count(*) AS n FROM identity.verifications WHERE verdict = 'verified'"
        )
        let withTokens = sample.valid.filter { Int($0.eventId.dropFirst(4)).map { $0 % 40 == 5 } ?? false }.count
        #expect(try verified.first?.require("n", as: Int.self) == withTokens)
        // No raw token reached any table downstream of intake's input.
        let leaked = try await database.query(
            "SELECT count(*) AS n FROM reporting.feedback WHERE payload::text LIKE '%idToken%' OR payload::text LIKE '%eyJ%'"
        )
        #expect(try leaked.first?.require("n", as: Int.self) == 0)
        database.close()

        // Every malformed input is on the rejected topic, with its reason and its original bytes.
        let rejected = try await harness.readTopic(CivicTopic.rejected, as: RejectedFeedback.self, atLeast: sample.malformed.count)
        let rejectionsByOriginal = Dictionary(
            rejected.map { (Data(base64Encoded: $0.original) ?? Data(), $0) },
            uniquingKeysWith: { first, _ in first }
        )
        for item in sample.malformed {
            let record = rejectionsByOriginal[Data(item.bytes)]
            #expect(record?.code.rawValue == item.expectedRejection, "\(item.eventId): expected \(item.expectedRejection ?? "")")
            #expect(record?.reason.isEmpty == false)
            #expect(record?.source.topic == CivicTopic.submitted(agency: item.agency))
        }
        #expect(Set(rejected.map(\.original)).count == sample.malformed.count)

        // The shared verifier answers any caller on the request/reply topics.
        let token = try harness.mintToken(subject: "caller-subject", agency: "IRS")
        var forged = Array(token)
        let signatureStart = (token.lastIndex(of: ".").map { token.distance(from: token.startIndex, to: $0) } ?? 0) + 10
        forged[signatureStart] = forged[signatureStart] == "A" ? "B" : "A"
        let requests = [
            IdentityRequest(correlationId: "req-ok", idToken: token, agency: "IRS", requestedAt: Date()),
            IdentityRequest(correlationId: "req-forged", idToken: String(forged), agency: "IRS", requestedAt: Date()),
            IdentityRequest(correlationId: "req-late", idToken: token, agency: "IRS", requestedAt: Date().addingTimeInterval(-60)),
        ]
        let requestProducer = try KafkaProducer(configuration: producerConfiguration, logger: Self.logger)
        try await requestProducer.send(
            try requests.map {
                KafkaOutboundMessage(topic: CivicTopic.identityRequests, key: $0.correlationId, value: Array(try CivicJSON.makeEncoder().encode($0)))
            }
        )
        await requestProducer.close()
        let results = try await harness.readTopic(CivicTopic.identityResults, as: IdentityResult.self, atLeast: 3)
        let byID = Dictionary(results.map { ($0.correlationId, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byID["req-ok"]?.status.rawValue == "verified")
        #expect(byID["req-ok"]?.respondent?.pseudonym?.hasPrefix("ps1_") == true)
        #expect(byID["req-ok"]?.respondent?.ial == "verified")
        #expect(byID["req-forged"]?.status.rawValue == "refused")
        #expect(byID["req-forged"]?.refusal == "bad_signature")
        #expect(byID["req-late"]?.status.rawValue == "expired")
        #expect(
            results.allSatisfy {
                !(String(data: (try? CivicJSON.makeEncoder().encode($0)) ?? Data(), encoding: .utf8) ?? "").contains("caller-subject")
            }
        )

        // Graceful shutdown on SIGTERM: every service exits 0.
        let statuses = await harness.stopAll()
        for service in PipelineHarness.services {
            #expect(statuses[service] == .some(0), "\(service) did not stop cleanly:\n\(harness.logTail(service))")
        }
    }

    private func reportedTotal(_ harness: PipelineHarness) async throws -> Int {
        guard let (status, body) = try? await harness.get("reporting", path: "/v1/reports"), status == 200 else { return 0 }
        let payload = try CivicJSON.makeDecoder().decode(ReportsPayload.self, from: body)
        return payload.reports.map { $0.responses ?? 0 }.reduce(0, +)
    }
}

/// The parts of `GET /v1/reports` the test reads (decoded independently of the service's own types).
struct ReportsPayload: Decodable {
    struct Row: Decodable {
        struct Share: Decodable {
            var n: Int
            var favourable: Int
        }
        var agency: String
        var responses: Int?
        var trust: Share?
    }
    var reports: [Row]
}

extension PipelineHarness {
    /// Checks reporting's published figures against `sample`: each valid response counted once, per agency
    /// (responses, trust n and favourable).
    func expectPublishedFigures(of sample: SampleResponses) async throws {
        let (status, body) = try await get("reporting", path: "/v1/reports")
        #expect(status == 200)
        let reports = try CivicJSON.makeDecoder().decode(ReportsPayload.self, from: body).reports
        for agency in SampleResponses.agencies {
            let expected = sample.valid.filter { $0.agency == agency }
            let rows = reports.filter { $0.agency == agency }
            #expect(rows.map { $0.responses ?? 0 }.reduce(0, +) == expected.count, "\(agency) responses")
            #expect(rows.map { $0.trust?.n ?? 0 }.reduce(0, +) == expected.count, "\(agency) trust n")
            #expect(
                rows.map { $0.trust?.favourable ?? 0 }.reduce(0, +) == expected.filter(\.trustFavourable).count,
                "\(agency) trust favourable"
            )
        }
    }
}
