import ArgumentParser
import CivicKafka
import CivicModels
import Foundation

/// `civicctl publish`: JSON lines from a file or standard input to an agency's submitted topic (or any topic).
struct Publish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish JSON lines (one message per line) to an agency's submitted topic, keyed by each line's eventId.",
        discussion: """
            Each line goes to the submitted topic of its own "agency" (cx.feedback.submitted.v1.<agency code in lower \
            case>), or of --agency, or to --topic. Blank lines are skipped. Lines that are not JSON are published as they \
            are (survey-intake rejects them with a reason); one that names no agency goes to the topic of the line before \
            it, as that agency's feed would carry it, and stops the command when no line before it named one.
            """
    )

    @OptionGroup var kafka: KafkaOptions

    @Option(help: "Publish every line to this agency's submitted topic (cx.feedback.submitted.v1.<code in lower case>).")
    var agency: String?

    @Option(help: "Publish every line to this topic instead.")
    var topic: String?

    @Option(help: "A file of JSON lines; standard input when omitted.")
    var file: String?

    @Option(help: "Messages sent per batch before waiting for acknowledgements.")
    var batchSize: Int = 1000

    func run() async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: try kafka.client), logger: kafka.logger)
        var batch: [KafkaOutboundMessage] = []
        var published = 0
        func flush() async throws {
            guard !batch.isEmpty else { return }
            try await producer.send(batch)
            published += batch.count
            batch.removeAll(keepingCapacity: true)
        }
        let handle: FileHandle
        if let file {
            guard let opened = FileHandle(forReadingAtPath: file) else { throw ValidationError("cannot read \(file)") }
            handle = opened
        } else {
            handle = FileHandle.standardInput
        }
        var topics: Set<String> = []
        var lineNumber = 0
        var previous = topic ?? agency.map(CivicTopic.submitted(agency:))
        for bytes in LineReader(handle) {
            lineNumber += 1
            guard bytes.contains(where: { $0 != 32 && $0 != 9 && $0 != 13 }) else { continue }
            let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
            let named = (object?["agency"] as? String).flatMap { CivicTopic.isAgencyCode($0) ? CivicTopic.submitted(agency: $0) : nil }
            guard let destination = topic ?? agency.map(CivicTopic.submitted(agency:)) ?? named ?? previous else {
                try await flush()
                throw ValidationError("line \(lineNumber) names no agency; give --agency or --topic (\(published) messages published)")
            }
            previous = destination
            topics.insert(destination)
            batch.append(KafkaOutboundMessage(topic: destination, key: object?["eventId"] as? String, value: bytes))
            if batch.count >= batchSize { try await flush() }
        }
        try await flush()
        await producer.close()
        print("published \(published) messages to \(topics.sorted().joined(separator: ", "))")
    }

    func validate() throws {
        guard topic == nil || agency == nil else { throw ValidationError("give --agency or --topic, not both") }
        if let agency, !CivicTopic.isAgencyCode(agency) {
            throw ValidationError("--agency: \"\(agency)\" is not an agency code (1 to 100 letters, digits, '-' or '_')")
        }
    }
}
