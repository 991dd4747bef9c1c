import ArgumentParser
import CivicKafka
import CivicModels
import Foundation

/// `civicctl publish`: JSON lines from a file or standard input to a topic.
struct Publish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish JSON lines (one message per line) to a topic, keyed by each line's eventId.",
        discussion: "Blank lines are skipped. Lines that are not JSON are published as they are (survey-intake rejects them with a reason)."
    )

    @OptionGroup var kafka: KafkaOptions

    @Option(help: "The topic.")
    var topic: String = CivicTopic.submitted

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
        for bytes in LineReader(handle) {
            guard bytes.contains(where: { $0 != 32 && $0 != 9 && $0 != 13 }) else { continue }
            batch.append(KafkaOutboundMessage(topic: topic, key: Self.eventId(in: bytes), value: bytes))
            if batch.count >= batchSize { try await flush() }
        }
        try await flush()
        await producer.close()
        print("published \(published) messages to \(topic)")
    }

    /// The `eventId` of a JSON object line, used as the message key (so replays land on the same partition).
    static func eventId(in bytes: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
        return object["eventId"] as? String
    }
}
