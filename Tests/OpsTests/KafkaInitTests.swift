import CivicModels
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// ops/kafka/kafka-init.sh run with compose.yaml's kafka-init environment against stand-ins for the Kafka tools
/// that record their arguments: it creates every topic (the token-carrying ones with their retention), one
/// SCRAM-SHA-512 credential per principal with that principal's password, and exactly the listed ACLs.
@Suite("ops/kafka/kafka-init.sh", .hangGuard)
struct KafkaInitTests {
    struct Run {
        let status: Int32
        let calls: [[String]]
        let output: String

        func calls(of tool: String) -> [[String]] { calls.filter { $0.first == tool }.map { Array($0.dropFirst()) } }
    }

    /// Runs the script with `environment` and stub tools writing one line per call (arguments joined by tabs).
    private func run(_ environment: [String: String]) throws -> Run {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("civic-kafka-init-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let log = scratch.appendingPathComponent("calls")
        for tool in ["kafka-topics.sh", "kafka-configs.sh", "kafka-acls.sh"] {
            let stub = scratch.appendingPathComponent(tool)
            try Data("#!/bin/sh\n{ printf '%s' \"\(tool)\"; for a in \"$@\"; do printf '\\t%s' \"$a\"; done; echo; } >>'\(log.path)'\n".utf8)
                .write(to: stub)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: stub.path)
        }
        let script = OpsFiles.root.appendingPathComponent("ops/kafka/kafka-init.sh").path
        let result = try runTool(
            URL(fileURLWithPath: "/bin/bash"),
            [script],
            environment: environment.merging(["KAFKA_BIN": scratch.path]) { _, new in new }
        )
        let lines = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n")
        return Run(
            status: result.status,
            calls: lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) },
            output: result.summary
        )
    }

    private static func value(after option: String, in arguments: [String]) -> String? {
        arguments.firstIndex(of: option).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    }

    @Test("compose's environment becomes the topics, the SCRAM credentials and exactly the listed ACLs")
    func composeEnvironmentBecomesTheCalls() throws {
        let environment = try ComposeService("kafka-init", in: ComposeDocument.normalised()).environment
        let run = try run(environment)
        #expect(run.status == 0, "\(run.output)")

        let topics = run.calls(of: "kafka-topics.sh")
        let agencies = (environment["CIVIC_KAFKA_USERS"] ?? "").split(separator: " ").filter { $0.hasPrefix("agency-") }
        let agencyTopics = agencies.map { CivicTopic.submitted(agency: String($0.dropFirst("agency-".count))) }
        #expect(!agencyTopics.isEmpty)
        #expect(Set(topics.compactMap { Self.value(after: "--topic", in: $0) }) == Set(CivicTopic.all + agencyTopics))
        for call in topics {
            let topic = Self.value(after: "--topic", in: call) ?? ""
            #expect(call.contains("--create") && call.contains("--if-not-exists"))
            let retention = Self.value(after: "--config", in: call)
            let hours = Int(environment["CIVIC_KAFKA_TOKEN_RETENTION_H"] ?? "") ?? 0
            #expect(
                retention == (CivicTopic.carriesIdentityTokens(topic) ? "retention.ms=\(hours * 3_600_000)" : nil),
                "\(topic): \(retention ?? "no retention")"
            )
        }

        let users = (environment["CIVIC_KAFKA_USERS"] ?? "").split(separator: " ").map(String.init)
        let credentials = run.calls(of: "kafka-configs.sh")
        #expect(credentials.count == users.count)
        for user in users {
            let password = environment["CIVIC_KAFKA_PASSWORD_" + user.uppercased().replacingOccurrences(of: "-", with: "_")] ?? "?"
            let call = credentials.first { Self.value(after: "--entity-name", in: $0) == user }
            #expect(call.flatMap { Self.value(after: "--add-config", in: $0) } == "SCRAM-SHA-512=[iterations=8192,password=\(password)]", "\(user)")
        }

        let granted = Set(
            run.calls(of: "kafka-acls.sh").map { call in
                let type = call.contains("--topic") ? "topic" : call.contains("--group") ? "group" : "?"
                return KafkaACL(
                    principal: Self.value(after: "--allow-principal", in: call) ?? "",
                    operation: Self.value(after: "--operation", in: call) ?? "",
                    type: type,
                    name: Self.value(after: "--\(type)", in: call) ?? "",
                    pattern: Self.value(after: "--resource-pattern-type", in: call) ?? "none"
                )
            }
        )
        let listed = (environment["CIVIC_KAFKA_ACLS"] ?? "").split(separator: "\n").compactMap { KafkaACL(line: String($0)) }
        #expect(granted == Set(listed) && !listed.isEmpty)
        #expect(granted.contains { $0.pattern == "prefixed" } && granted.contains { $0.pattern == "literal" })
    }

    @Test("a principal without a password, or a malformed ACL line, stops the script")
    func missingPasswordOrBadLineFails() throws {
        var environment = try ComposeService("kafka-init", in: ComposeDocument.normalised()).environment
        environment["CIVIC_KAFKA_PASSWORD_AGENCY_VA"] = nil
        #expect(try run(environment).status != 0)
        environment = try ComposeService("kafka-init", in: ComposeDocument.normalised()).environment
        environment["CIVIC_KAFKA_ACLS"] = "User:reporting Read topic cx.feedback.scored.v1 extra"
        #expect(try run(environment).status != 0)
        environment["CIVIC_KAFKA_ACLS"] = "User:reporting Read topic cx.feedback.scored.v1 prefixed extra"
        #expect(try run(environment).status != 0)
    }
}
