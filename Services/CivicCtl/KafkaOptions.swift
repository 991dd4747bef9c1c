import ArgumentParser
import CivicKafka
import Foundation
import Logging

/// Broker options shared by the subcommands.
struct KafkaOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers (default: $CIVIC_KAFKA_BOOTSTRAP or 127.0.0.1:9092).")
    var bootstrap: String = ProcessInfo.processInfo.environment["CIVIC_KAFKA_BOOTSTRAP"] ?? "127.0.0.1:9092"

    @Flag(help: "Log librdkafka and client diagnostics to standard error.")
    var verbose = false

    var client: KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: bootstrap, clientID: "civicctl")
    }

    var logger: Logger {
        var logger = Logger(label: "civicctl")
        logger.logLevel = verbose ? .debug : .error
        return logger
    }
}
