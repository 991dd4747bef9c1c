import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// Secure by default, as the executables run: a service told to reach a broker on another host in plaintext, or
/// PostgreSQL on another host without `sslmode=verify-full`, refuses to start and names the setting and its
/// opt-out; with the opt-out it starts and says so in its log. Nothing is contacted before the refusal.
@Suite(.startsProcesses, .hangGuard)
struct InsecureTransportEndToEndTests {
    /// What every service needs to get as far as connecting (identity-verify's pseudonym key).
    private static let baseline = [
        "CIVIC_PSEUDONYM_KEYS": "v1:" + Data((0..<32).map { UInt8($0 &* 7 &+ 3) }).base64EncodedString(),
        "CIVIC_STARTUP_TIMEOUT_S": "0",
        "CIVIC_LOG_FORMAT": "text",
    ]

    /// Runs `service` with `environment` until it exits; returns its status and log.
    private func run(_ service: String, _ environment: [String: String]) async throws -> (status: Int32?, log: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-insecure-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("\(service).log")
        // identity-verify needs one trusted issuer to start; its keys are never fetched here.
        let jwks = directory.appendingPathComponent("jwks.json")
        try Data(#"{"keys":[]}"#.utf8).write(to: jwks)
        let issuers = directory.appendingPathComponent("issuers.json")
        try Data(
            #"{"issuers":[{"issuer":"https://idp.civicpulse.invalid/","audiences":["urn:civicpulse:test"],"jwks":"\#(jwks.path)"}]}"#.utf8
        ).write(to: issuers)
        let process = try ManagedProcess(
            executable: RepositoryLayout.binaries.appendingPathComponent(service),
            arguments: [],
            environment: Self.baseline.merging(["CIVIC_IDENTITY_ISSUERS_FILE": issuers.path]) { _, new in new }.merging(environment) { _, new in new }
                .merging(["CIVIC_HTTP_PORT": String(try freeLoopbackPort())]) { _, new in
                    new
                },
            logFile: log
        )
        await process.waitForExit()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    @Test(arguments: ["survey-intake", "identity-verify", "sentiment-scorer", "reporting"])
    func plaintextKafkaToAnotherHostIsRefusedAtStartUp(service: String) async throws {
        let (status, log) = try await run(service, ["CIVIC_KAFKA_BOOTSTRAP": "kafka.civicpulse.invalid:9092"])
        #expect(status.map { $0 != 0 } == true, "\(log.suffix(2000))")
        #expect(log.contains("are not encrypted"), "\(log.suffix(2000))")
        #expect(log.contains("CIVIC_KAFKA_ALLOW_PLAINTEXT=true"), "\(log.suffix(2000))")
        #expect(!log.contains("creating topics"), "refused before any connection\n\(log.suffix(2000))")
    }

    @Test func unverifiedPostgresToAnotherHostIsRefusedAtStartUp() async throws {
        let (status, log) = try await run(
            "reporting",
            ["CIVIC_POSTGRES_URL": "postgresql://reporting:secret-password@db.civicpulse.invalid:5432/civicpulse?sslmode=require"]
        )
        #expect(status.map { $0 != 0 } == true, "\(log.suffix(2000))")
        #expect(log.contains("sslmode=require, which does not verify the server"), "\(log.suffix(2000))")
        #expect(log.contains("CIVIC_POSTGRES_ALLOW_UNVERIFIED=true"), "\(log.suffix(2000))")
        #expect(!log.contains("secret-password"), "the refusal never prints the connection string\n\(log.suffix(2000))")
    }

    @Test func theOptOutsLetItStartAndItSaysSo() async throws {
        let (_, log) = try await run(
            "sentiment-scorer",
            [
                "CIVIC_KAFKA_BOOTSTRAP": "kafka.civicpulse.invalid:9092", "CIVIC_KAFKA_ALLOW_PLAINTEXT": "true",
                "CIVIC_POSTGRES_URL": "postgresql://db.civicpulse.invalid/civicpulse", "CIVIC_POSTGRES_ALLOW_UNVERIFIED": "true",
            ]
        )
        // It went on to connect (and, with nothing there and no start-up patience, gave up).
        #expect(log.contains("allowed by CIVIC_KAFKA_ALLOW_PLAINTEXT=true"), "\(log.suffix(2000))")
        #expect(log.contains("allowed by CIVIC_POSTGRES_ALLOW_UNVERIFIED=true"), "\(log.suffix(2000))")
        #expect(log.contains("creating topics"), "\(log.suffix(2000))")
    }
}
