import ArgumentParser
import CivicKafka
import CivicModels
import Foundation

/// `civicctl rejected list|show|replay`: the dead-letter topic for integrators. Each rejection is named by its
/// position on `cx.feedback.rejected.v1` (`partition:offset`).
struct Rejected: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show and replay rejected input from the dead-letter topic.",
        subcommands: [List.self, Show.self, Replay.self]
    )

    /// One rejection read from the topic, with its position and the agency its original names.
    struct Item {
        var id: String
        var record: RejectedFeedback
        var original: [UInt8]
        var agency: String?
    }

    /// Reads the whole dead-letter topic (a throwaway consumer group), stopping after `idle` seconds without a
    /// new message once partitions are assigned.
    static func readAll(_ kafka: KafkaOptions, idle: Double = 3) async throws -> [Item] {
        var configuration = KafkaConsumerConfiguration(
            client: try kafka.client,
            groupID: "civicctl-rejected-\(UUID().uuidString.prefix(8))",
            topics: [CivicTopic.rejected]
        )
        configuration.sessionTimeoutMilliseconds = 6_000
        configuration.heartbeatIntervalMilliseconds = 500
        let consumer = try KafkaConsumer(configuration: configuration, logger: kafka.logger)
        let decoder = CivicJSON.makeDecoder()
        var items: [Item] = []
        var last = ContinuousClock.now
        var assigned = false
        while true {
            guard let batch = try await consumer.poll(maxMessages: 500, maxWait: .milliseconds(200)) else { break }
            if batch.isEmpty {
                if !assigned {
                    assigned = !(try await consumer.assignment()).isEmpty
                    last = ContinuousClock.now
                }
                if assigned, ContinuousClock.now - last > .milliseconds(Int(idle * 1000)) { break }
                continue
            }
            last = ContinuousClock.now
            for message in batch {
                // A dead letter that is not a rejection record (hostile or foreign) is skipped, never trusted.
                guard let record = try? decoder.decode(RejectedFeedback.self, from: Data(message.value)) else { continue }
                let original = Data(base64Encoded: record.original).map(Array.init) ?? []
                let object = try? JSONSerialization.jsonObject(with: Data(original)) as? [String: Any]
                items.append(
                    Item(id: "\(message.partition):\(message.offset)", record: record, original: original, agency: object?["agency"] as? String)
                )
            }
        }
        await consumer.close()
        return items
    }

    struct Filters: ParsableArguments {
        @Option(help: "Only rejections of this agency (as the original names it).")
        var agency: String?
        @Option(help: "Only this rejection code, for example out_of_range.")
        var code: String?
        @Option(help: "Only rejections at or after this time (RFC 3339).")
        var since: String?
        @Option(help: "Only input from this source topic.")
        var source: String?

        func matches(_ item: Item) throws -> Bool {
            if let agency, item.agency != agency { return false }
            if let code, item.record.code.rawValue != code { return false }
            if let source, item.record.source.topic != source { return false }
            if let since {
                guard let date = ISO8601DateFormatter().date(from: since) else { throw ValidationError("--since must be RFC 3339") }
                if item.record.rejectedAt < date { return false }
            }
            return true
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per rejection: id, time, code, event id, reason.")
        @OptionGroup var kafka: KafkaOptions
        @OptionGroup var filters: Filters

        func run() async throws {
            for item in try await Rejected.readAll(kafka) where try filters.matches(item) {
                let time = ISO8601DateFormatter().string(from: item.record.rejectedAt)
                print(
                    [item.id, time, item.record.code.rawValue, item.agency ?? "-", item.record.eventId ?? "-", item.record.reason].joined(
                        separator: "\t"
                    )
                )
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A rejection's reason next to its original (identity credentials removed).")
        @OptionGroup var kafka: KafkaOptions
        @Argument(help: "The rejection's id (partition:offset), as list prints it.")
        var id: String

        func run() async throws {
            guard let item = try await Rejected.readAll(kafka).first(where: { $0.id == id }) else { throw ValidationError("no rejection \(id)") }
            print("rejection \(item.id): \(item.record.code.rawValue)\(item.record.field.map { " (\($0))" } ?? "")")
            print("reason: \(item.record.reason)")
            print("original:")
            print(String(decoding: item.original, as: UTF8.self))
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-submit corrected rejections to their agency's submitted topic, once each, and say which were rejected again."
        )
        @OptionGroup var kafka: KafkaOptions
        @Argument(help: "The rejections' ids (partition:offset).")
        var ids: [String]
        @Option(help: "A file holding the corrected JSON to submit instead of the original (one id only).")
        var file: String?
        @Option(help: "A JSON Patch (RFC 6902: add, replace, remove, test) applied to each original.")
        var patch: String?
        @Option(help: "The ledger of rejections already replayed; a listed one is not replayed again.")
        var ledger: String = ".civicctl-replayed"
        @Option(help: "Seconds to wait for a new rejection of a replayed event.")
        var wait: Double = 10

        func validate() throws {
            guard !ids.isEmpty else { throw ValidationError("give at least one rejection id") }
            guard file == nil || ids.count == 1 else { throw ValidationError("--file replaces one rejection's original") }
            guard file == nil || patch == nil else { throw ValidationError("give --file or --patch, not both") }
        }

        func run() async throws {
            let replayed = Set(
                ((try? String(contentsOfFile: ledger, encoding: .utf8)) ?? "").split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
            )
            let items = try await Rejected.readAll(kafka)
            let operations = try patch.map { try JSONPatch(contentsOf: URL(fileURLWithPath: $0)) }
            var outgoing: [(id: String, eventId: String?, topic: String, bytes: [UInt8])] = []
            for id in ids {
                guard !replayed.contains(id) else {
                    print("\(id): already replayed (see \(ledger)); not sent again")
                    continue
                }
                guard let item = items.first(where: { $0.id == id }) else { throw ValidationError("no rejection \(id)") }
                var bytes = item.original
                if let file { bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file))) }
                if let operations { bytes = try operations.apply(to: bytes) }
                let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
                // Back to the agency topic it came in on, or else to the topic of the agency it names.
                let source = item.record.source.topic.flatMap { CivicTopic.agency(ofSubmitted: $0) != nil ? $0 : nil }
                let named = (object?["agency"] as? String).flatMap { CivicTopic.isAgencyCode($0) ? CivicTopic.submitted(agency: $0) : nil }
                guard let topic = source ?? named else {
                    throw ValidationError("\(id): came in on no agency's topic and names no agency; fix it with --patch or --file")
                }
                outgoing.append((id, object?["eventId"] as? String, topic, bytes))
            }
            guard !outgoing.isEmpty else { return }
            let started = Date()
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: try kafka.client), logger: kafka.logger)
            // The key links each resubmission to the rejection it fixes.
            _ = try await producer.send(
                outgoing.map { KafkaOutboundMessage(topic: $0.topic, key: "replay-of:\($0.id)", value: $0.bytes) }
            )
            await producer.close()
            let handle =
                FileHandle(forUpdatingAtPath: ledger)
                ?? {
                    _ = FileManager.default.createFile(atPath: ledger, contents: nil)
                    return FileHandle(forUpdatingAtPath: ledger)
                }()
            handle?.seekToEndOfFile()
            for item in outgoing { handle?.write(Data("\(item.id)\t\(item.eventId ?? "-")\t\(ISO8601DateFormatter().string(from: started))\n".utf8)) }
            try? handle?.close()
            // Rejected again? Look for a rejection of the same event ids made after the replay.
            try await Task.sleep(for: .milliseconds(Int(wait * 1000)))
            let after = try await Rejected.readAll(kafka).filter { $0.record.rejectedAt >= started.addingTimeInterval(-1) }
            for item in outgoing {
                if let again = after.first(where: { $0.record.eventId != nil && $0.record.eventId == item.eventId }) {
                    print("\(item.id): rejected again as \(again.id): \(again.record.code.rawValue): \(again.record.reason)")
                } else {
                    print("\(item.id): resubmitted as event \(item.eventId ?? "?")")
                }
            }
        }
    }
}

/// A JSON Patch (RFC 6902) of `add`, `replace`, `remove` and `test` operations on JSON Pointer paths (RFC 6901),
/// applied to objects and arrays as JSONSerialization reads them.
struct JSONPatch {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private var operations: [[String: Any]]

    init(contentsOf url: URL) throws {
        guard let list = try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as? [[String: Any]] else {
            throw Failure(description: "\(url.path): a JSON Patch is an array of operations")
        }
        operations = list
    }

    init(operations: [[String: Any]]) { self.operations = operations }

    func apply(to bytes: [UInt8]) throws -> [UInt8] {
        var document = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        for operation in operations {
            guard let op = operation["op"] as? String, let path = operation["path"] as? String else {
                throw Failure(description: "an operation needs op and path: \(operation)")
            }
            let tokens = try Self.tokens(path)
            switch op {
            case "add", "replace":
                guard let value = operation["value"] else { throw Failure(description: "\(op) \(path) needs a value") }
                document = try Self.set(value, at: tokens, in: document, replacing: op == "replace")
            case "remove":
                document = try Self.set(nil, at: tokens, in: document, replacing: true)
            case "test":
                guard let expected = operation["value"], let actual = Self.value(at: tokens, in: document),
                    (actual as? NSObject)?.isEqual(expected) == true
                else { throw Failure(description: "test failed at \(path)") }
            default:
                throw Failure(description: "unsupported operation \(op) (add, replace, remove, test)")
            }
        }
        return Array(try JSONSerialization.data(withJSONObject: document, options: [.fragmentsAllowed]))
    }

    static func tokens(_ pointer: String) throws -> [String] {
        guard pointer.isEmpty || pointer.hasPrefix("/") else { throw Failure(description: "\(pointer) is not a JSON Pointer") }
        return pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            .map { $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
    }

    static func value(at tokens: [String], in document: Any) -> Any? {
        var current: Any? = document
        for token in tokens {
            if let object = current as? [String: Any] {
                current = object[token]
            } else if let array = current as? [Any], let index = Int(token), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        return current
    }

    /// `document` with `value` at `tokens` (removed when `nil`).
    static func set(_ value: Any?, at tokens: [String], in document: Any, replacing: Bool) throws -> Any {
        guard let first = tokens.first else {
            guard let value else { throw Failure(description: "cannot remove the whole document") }
            return value
        }
        let rest = Array(tokens.dropFirst())
        if var object = document as? [String: Any] {
            if rest.isEmpty {
                if replacing, object[first] == nil { throw Failure(description: "nothing at /\(first) to replace or remove") }
                object[first] = value
            } else {
                guard let child = object[first] else { throw Failure(description: "no member \(first)") }
                object[first] = try set(value, at: rest, in: child, replacing: replacing)
            }
            return object
        }
        if var array = document as? [Any] {
            if rest.isEmpty {
                if first == "-", !replacing, let value {
                    array.append(value)
                    return array
                }
                guard let index = Int(first), (0...array.count).contains(index) else { throw Failure(description: "bad array index \(first)") }
                if let value {
                    if replacing {
                        guard index < array.count else { throw Failure(description: "no element \(index)") }
                        array[index] = value
                    } else {
                        array.insert(value, at: index)
                    }
                } else {
                    guard index < array.count else { throw Failure(description: "no element \(index)") }
                    array.remove(at: index)
                }
            } else {
                guard let index = Int(first), array.indices.contains(index) else { throw Failure(description: "bad array index \(first)") }
                array[index] = try set(value, at: rest, in: array[index], replacing: replacing)
            }
            return array
        }
        throw Failure(description: "cannot descend into a scalar at \(first)")
    }
}
