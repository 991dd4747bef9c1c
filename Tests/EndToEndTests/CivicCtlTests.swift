import CivicKafka
import CivicTesting
import Foundation
import Logging
import Testing

/// `civicctl score` as analysts run it: JSON lines in, one JSON line out per input, in order; `publish` and
/// `tail` over TLS with the broker options operators give.
@Suite struct CivicCtlTests {
    private func run(_ arguments: [String], input: String, environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = RepositoryLayout.binaries.appendingPathComponent("civicctl")
        process.arguments = arguments
        // Only the variables given: an operator's CIVIC_KAFKA_* in the test's environment cannot change the result.
        var inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CIVIC_KAFKA_") }
        inherited.merge(environment) { _, new in new }
        process.environment = inherited
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try ProcessLauncher.run(process)
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func scoreReadsJSONLinesAndAnswersInOrder() throws {
        let input = """
            {"id": "a", "text": "The service was good."}
            {"id": 2, "text": "The service was bad."}
            {"id": "es", "text": "El servicio fue bueno.", "locale": "es-MX"}

            """
        let (status, output) = try run(["score"], input: input)
        #expect(status == 0)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        // The same four numbers vaderSentiment 3.3.2 gives (../shared/sentiment/rule_probes.jsonl probe-0001/0002).
        #expect(lines[0].hasPrefix(#"{"id": "a", "sentiment": {"neg": 0.0, "neu": 0.508, "pos": 0.492, "compound": 0.4404}"#))
        #expect(lines[1].hasPrefix(#"{"id": 2, "sentiment": {"neg": 0.538, "neu": 0.462, "pos": 0.0, "compound": -0.5423}"#))
        #expect(lines[2].contains(#""sentiment": null"#))
        #expect(lines[2].contains("non_english"))
    }

    @Test(.timeLimit(.minutes(1)))
    func publishAndTailConnectOverTLSWithTheOptionsOrTheEnvironment() async throws {
        let tls = try await TestTLSBroker()
        let topic = "civicctl-tls-\(UUID().uuidString.prefix(8).lowercased())"
        let security = KafkaSecurityConfiguration(securityProtocol: .ssl, caLocation: tls.authority.certificate.path)
        let admin = try KafkaAdmin(
            configuration: KafkaClientConfiguration(bootstrapServers: tls.bootstrapServers, security: security),
            logger: Logger(label: "civicctl-tls-tests")
        )
        try await admin.createTopics([KafkaTopicSpecification(name: topic, partitions: 1)])

        // Options on the command line.
        let lines = (1...3).map { #"{"eventId": "e-\#($0)", "comment": "over TLS"}"# }
        let tlsOptions = ["--bootstrap", tls.bootstrapServers, "--security-protocol", "ssl", "--ssl-ca-location", tls.authority.certificate.path]
        let (published, output) = try run(["publish", "--topic", topic] + tlsOptions, input: lines.joined(separator: "\n") + "\n")
        #expect(published == 0 && output.contains("published 3 messages"), "\(output)")

        // The same settings from the environment, as the services read them.
        let (tailed, tail) = try run(
            ["tail", "--topic", topic, "--max", "3", "--idle-timeout", "10"],
            input: "",
            environment: [
                "CIVIC_KAFKA_BOOTSTRAP": tls.bootstrapServers, "CIVIC_KAFKA_SECURITY_PROTOCOL": "ssl",
                "CIVIC_KAFKA_SSL_CA_LOCATION": tls.authority.certificate.path,
            ]
        )
        #expect(tailed == 0)
        #expect(tail.split(separator: "\n").map(String.init) == lines, "\(tail)")

        // A SASL protocol without a user is refused before any connection, naming the option.
        let (refused, _) = try run(["tail", "--topic", topic, "--security-protocol", "sasl_ssl"] + tlsOptions.prefix(2), input: "")
        #expect(refused != 0)
        await tls.stop()
    }

    @Test func scoreRefusesAMalformedLineWithItsNumber() throws {
        let (status, _) = try run(["score"], input: "{\"id\": 1, \"text\": \"ok\"}\nnot json\n")
        #expect(status != 0)
    }
}
