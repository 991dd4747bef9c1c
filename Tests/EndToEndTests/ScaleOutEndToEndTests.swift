import CivicKafka
import CivicModels
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// Scale-out as operators do it: six partitions per topic and two processes of every service in the same
/// consumer groups give exactly the figures of one process each on three partitions, for the same responses,
/// to the last digit (sums are kept exactly, so the order values arrive in does not matter), and every
/// replica takes a share of the work.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct ScaleOutEndToEndTests {
    static let logger = Logger(label: "scale-out-e2e")

    /// What a run published and what reporting made of it.
    struct Figures {
        var counted: Int
        /// `/v1/reports` and each agency's collections, as JSON objects.
        var documents: [String: NSDictionary]
        /// Messages each replica consumed, by service.
        var consumedByReplica: [String: Double]
    }

    @Test func sixPartitionsAndTwoReplicasOfEachServiceGiveTheFiguresOfOne() async throws {
        let now = Date()
        let single = try await run(replicas: false, partitions: 3, now: now)
        let scaled = try await run(replicas: true, partitions: 6, now: now)
        #expect(single.counted > 400)
        #expect(scaled.counted == single.counted)
        for (path, document) in single.documents {
            let one = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])
            let two = try JSONSerialization.data(withJSONObject: scaled.documents[path] ?? [:], options: [.sortedKeys, .prettyPrinted])
            #expect(
                one == two,
                "\(path) differs between one process and two:\n\(String(decoding: one, as: UTF8.self))\n\(String(decoding: two, as: UTF8.self))"
            )
        }
        #expect(scaled.documents.count == single.documents.count)
        for service in PipelineHarness.services {
            #expect((scaled.consumedByReplica[service] ?? 0) > 0, "the \(service) replica consumed nothing: \(scaled.consumedByReplica)")
        }
    }

    private func run(replicas: Bool, partitions: Int, now: Date) async throws -> Figures {
        let harness = try await PipelineHarness(extraEnvironment: ["CIVIC_KAFKA_PARTITIONS": String(partitions)])
        try await harness.startAll()
        var replicaURLs: [String: String] = [:]
        if replicas {
            for service in PipelineHarness.services { replicaURLs[service] = try await harness.startReplica(service) }
        }
        let sample = try SampleResponses(count: 600, now: now) { index in
            index % 40 == 5 ? try harness.mintToken(subject: "person-\(index % 120)", agency: SampleResponses.agencies[index % 3]) : nil
        }
        var configuration = KafkaProducerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: harness.broker.bootstrapServers, clientID: "scale-out")
        )
        configuration.flushTimeoutMilliseconds = 10_000
        let producer = try KafkaProducer(configuration: configuration, logger: Self.logger)
        try await producer.send(sample.items.map { $0.message() })
        await producer.close()

        var counted = 0
        let deadline = ContinuousClock.now + TestPatience.hang
        while ContinuousClock.now < deadline {
            if let (status, body) = try? await harness.get("reporting", path: "/v1/reports"), status == 200 {
                counted = try CivicJSON.makeDecoder().decode(ReportsPayload.self, from: body).reports.map { $0.responses ?? 0 }.reduce(0, +)
                if counted >= sample.valid.count { break }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        // A moment more, for anything counted twice to show.
        try await Task.sleep(for: .seconds(1))

        let calendar = Calendar(identifier: .gregorian)
        let parts = calendar.dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: now)
        let fiscalYear = (parts.year ?? 0) + ((parts.month ?? 1) >= 10 ? 1 : 0)
        var documents: [String: NSDictionary] = [:]
        var paths = ["/v1/reports", "/v1/reports?groupBy=service", "/v1/reports?groupBy=service,channel"]
        for agency in SampleResponses.agencies { paths.append("/v1/exports/collections?agency=\(agency)&fiscalYear=\(fiscalYear)") }
        for path in paths {
            let (status, body) = try await harness.get("reporting", path: path)
            guard status == 200, let object = try JSONSerialization.jsonObject(with: body) as? NSDictionary else {
                throw TestEnvironmentError("\(path) answered \(status): \(String(decoding: body, as: UTF8.self))")
            }
            documents[path] = object
        }
        var consumed: [String: Double] = [:]
        for (service, base) in replicaURLs {
            let metrics = try await TestHTTP.send("GET", base + "/metrics").text
            consumed[service] = metrics.split(separator: "\n")
                .filter { $0.hasPrefix("civic_messages_consumed_total{") && !$0.contains("erasure") }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
                .reduce(0, +)
        }
        _ = await harness.stopAll()
        return Figures(counted: counted, documents: documents, consumedByReplica: consumed)
    }
}
