import ArgumentParser
import CivicKafka
import CivicModels
import Foundation

/// `civicctl tail`: print a topic's messages.
struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a topic's messages, one per line, from the beginning (in a throwaway consumer group)."
    )

    @OptionGroup var kafka: KafkaOptions

    @Option(help: "The topic.")
    var topic: String = CivicTopic.rejected

    @Option(help: "Stop after this many messages.")
    var max: Int?

    @Option(help: "Stop after this many seconds without a new message, counted once partitions are assigned (0: never).")
    var idleTimeout: Double = 5

    @Flag(help: "Prefix each line with partition and offset.")
    var positions = false

    func run() async throws {
        var configuration = KafkaConsumerConfiguration(
            client: try kafka.client,
            groupID: "civicctl-tail-\(UUID().uuidString.prefix(8))",
            topics: [topic]
        )
        configuration.sessionTimeoutMilliseconds = 6_000
        configuration.heartbeatIntervalMilliseconds = 500
        let consumer = try KafkaConsumer(configuration: configuration, logger: kafka.logger)
        var printed = 0
        var lastMessage = ContinuousClock.now
        var assigned = false
        while max.map({ printed < $0 }) ?? true {
            guard let batch = try await consumer.poll(maxMessages: 500, maxWait: .milliseconds(200)) else { break }
            if batch.isEmpty {
                // The idle clock starts once the group has assigned partitions (joining can take seconds).
                if !assigned {
                    assigned = !(try await consumer.assignment()).isEmpty
                    lastMessage = ContinuousClock.now
                }
                if assigned, idleTimeout > 0, ContinuousClock.now - lastMessage > .milliseconds(Int(idleTimeout * 1000)) { break }
                continue
            }
            lastMessage = ContinuousClock.now
            for message in batch {
                if let max, printed >= max { break }
                let text = String(decoding: message.value, as: UTF8.self)
                print(positions ? "\(message.partition):\(message.offset)\t\(text)" : text)
                printed += 1
            }
        }
        await consumer.close()
    }
}
