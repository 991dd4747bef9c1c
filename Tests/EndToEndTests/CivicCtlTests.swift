import CivicKafka
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// `civicctl score` as analysts run it: JSON lines in, one JSON line out per input, in order; `publish` and
/// `tail` over TLS with the broker options operators give.
@Suite(.startsProcesses, .hangGuard) struct CivicCtlTests {
    /// Runs civicctl with `input` on standard input; returns its status and standard output (with its
    /// standard error after it when `capturingErrors`).
    private func run(
        _ arguments: [String],
        input: String,
        environment: [String: String] = [:],
        capturingErrors: Bool = false
    ) throws -> (Int32, String) {
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
        process.standardError = capturingErrors ? stdout : FileHandle.nullDevice
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
        // The same four numbers vaderSentiment 3.3.2 gives (Tests/CivicSentimentTests/Data/rule_probes.jsonl probe-0001/0002).
        #expect(lines[0].hasPrefix(#"{"id": "a", "sentiment": {"neg": 0.0, "neu": 0.508, "pos": 0.492, "compound": 0.4404}"#))
        #expect(lines[1].hasPrefix(#"{"id": 2, "sentiment": {"neg": 0.538, "neu": 0.462, "pos": 0.0, "compound": -0.5423}"#))
        #expect(lines[2].contains(#""sentiment": null"#))
        #expect(lines[2].contains("non_english"))
    }

    @Test(.hangGuard)
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

    @Test(.hangGuard)
    func publishSendsEachLineToItsAgencysOwnTopic() async throws {
        let broker = try await TestBroker()
        let lines = [
            #"{"eventId": "p-1", "agency": "IRS"}"#, #"{"eventId": "p-2", "agency": "SSA"}"#, "not json after SSA",
            #"{"eventId": "p-3", "agency": "IRS"}"#,
        ]
        let (published, output) = try run(["publish", "--bootstrap", broker.bootstrapServers], input: lines.joined(separator: "\n") + "\n")
        #expect(published == 0 && output.contains("published 4 messages to cx.feedback.submitted.v1.irs, cx.feedback.submitted.v1.ssa"), "\(output)")
        for (topic, expected) in [("cx.feedback.submitted.v1.irs", [lines[0], lines[3]]), ("cx.feedback.submitted.v1.ssa", [lines[1], lines[2]])] {
            let (tailed, tail) = try run(
                ["tail", "--topic", topic, "--max", "\(expected.count)", "--idle-timeout", "10", "--bootstrap", broker.bootstrapServers],
                input: ""
            )
            // Partitions may interleave: the lines, in any order.
            #expect(tailed == 0 && Set(tail.split(separator: "\n").map(String.init)) == Set(expected), "\(topic): \(tail)")
        }
        // A first line that names no agency, without --agency or --topic: refused, naming the line.
        let (refused, reason) = try run(["publish", "--bootstrap", broker.bootstrapServers], input: "not json\n", capturingErrors: true)
        #expect(refused != 0 && reason.contains("line 1 names no agency"), "\(reason)")
        await broker.kill()
    }

    @Test func scoreRefusesAMalformedLineWithItsNumber() throws {
        for (input, reason) in [
            ("{\"id\": 1, \"text\": \"ok\"}\nnot json\n", "line 2: invalid JSON"),
            ("\n{\"id\": 1, \"text\": \"ok\"}\n{\"id\": 2}\n", "line 3: \"text\" must be a string (id 2)"),
            ("{\"id\": [1], \"text\": \"ok\"}\n", "line 1: \"id\" must be a string or a number"),
            ("{\"id\": 1, \"text\": \"ok\", \"locale\": 5}\n", "line 1: \"locale\" must be a string or null"),
            ("{\"id\": 1, \"text\": \"ok\"} trailing\n", "line 1: invalid JSON"),
        ] {
            let (status, output) = try run(["score"], input: input, capturingErrors: true)
            #expect(status != 0)
            #expect(output.contains(reason), "\(output)")
        }
    }

    @Test func scoreEchoesIdsAsWrittenAndPrintsNumbersAsPython() throws {
        let input = [
            #"{"id": "c-1", "text": "The service was good."}"#,
            #"{"id": 42, "text": "bad"}"#,
            "",
            #"{"text": "The office was open.", "id": 1.50, "extra": [1, {"a": null}]}"#,
            #"{"id": "q\"uote", "text": "merci", "locale": "fr-FR"}"#,
            #"{"id": 7, "text": "I'm so frustrated \ud83d\ude21", "locale": null}"#,
        ].joined(separator: "\n")
        let (status, output) = try run(["score"], input: input + "\n")
        #expect(status == 0)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        guard lines.count == 5 else { return }
        #expect(lines[0] == #"{"id": "c-1", "sentiment": {"neg": 0.0, "neu": 0.508, "pos": 0.492, "compound": 0.4404}, "emotions": {}}"#)
        #expect(lines[1] == #"{"id": 42, "sentiment": {"neg": 1.0, "neu": 0.0, "pos": 0.0, "compound": -0.5423}, "emotions": {}}"#)
        #expect(lines[2] == #"{"id": 1.50, "sentiment": {"neg": 0.0, "neu": 1.0, "pos": 0.0, "compound": 0.0}, "emotions": {}}"#)
        #expect(lines[3] == #"{"id": "q\"uote", "sentiment": null, "unscored_reason": "non_english_locale", "emotions": {}}"#)
        #expect(lines[4].hasPrefix(#"{"id": 7, "sentiment": {"#))
        #expect(lines[4].contains(#""frustration": {"count": 1, "negated": 0, "intensity": 1.5, "terms": ["frustrated"]}"#))
        for line in lines {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not valid JSON: \(line)")
        }
    }
}
