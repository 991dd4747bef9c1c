import CivicKafka
import CivicModels
import CivicPostgres
import CivicRuntime
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// Signed internal requests (``EventSignature``): the canonical signing input is pinned byte for byte, a
/// signature survives the trip through the contract's JSON whatever precision the dates lose, anything else
/// (unsigned, another key, altered, another scheme) is refused, keys are read from PEM or base64 and only
/// from files others cannot read, and the erasure stage against a real PostgreSQL applies only what its keys
/// signed, refusing everything when it has none.
@Suite(.hangGuard) struct EventSignatureTests {
    static let logger = Logger(label: "event-signature-tests")

    /// A request; the default reason holds a line feed (escaped in the signing input, refused by the stage).
    static func request(
        _ ids: [String] = ["e-1", "e/2 \"quoted\""],
        at time: Date = Date(timeIntervalSince1970: 1_780_000_000.5),
        reason: String = "asked\nby mail"
    ) -> ErasureRequest {
        ErasureRequest(requestId: "r-1", agency: "IRS", eventIds: ids, reason: reason, requestedBy: "ops", requestedAt: time)
    }

    /// Encodes `event` as it travels and decodes it as a consumer does.
    static func roundTrip<Event: Codable>(_ event: Event) throws -> (Event, [UInt8]) {
        let bytes = Array(try CivicJSON.makeEncoder().encode(event))
        return (try CivicJSON.makeDecoder().decode(Event.self, from: Data(bytes)), bytes)
    }

    @Test func theSigningInputIsPinned() {
        let request = Self.request()
        #expect(
            String(decoding: request.signingInput(carried: request.ownText), as: UTF8.self)
                == "ed25519-canonical-json/1\n"
                + #"{"agency":"IRS","eventIds":["e-1","e/2 \"quoted\""],"reason":"asked\nby mail","requestId":"r-1","#
                + #""requestedAt":"2026-05-28T20:26:40.500Z","requestedBy":"ops","schema":"cx.privacy.erasure/1"}"#
        )
        let update = CaseUpdate(caseId: "c-1", agency: "IRS", state: .resolved, actor: "cw-1", at: Date(timeIntervalSince1970: 1_780_000_000))
        #expect(
            String(decoding: update.signingInput(carried: update.ownText), as: UTF8.self)
                == "ed25519-canonical-json/1\n"
                + #"{"actor":"cw-1","agency":"IRS","at":"2026-05-28T20:26:40.000Z","caseId":"c-1","schema":"cx.followup.case/1","state":"resolved"}"#
        )
    }

    @Test func aSignatureSurvivesTheWireWhateverTheDatesPrecision() throws {
        let key = EventSigningKey()
        let keys = try EventVerifyingKeys(list: "\(EventSigningKey().publicKeyBase64), \(key.publicKeyBase64)")
        var generator = SeededGenerator(seed: 29)
        for _ in 0..<500 {
            let time = Date(timeIntervalSince1970: Double.random(in: 1_700_000_000...1_900_000_000, using: &generator))
            let (request, bytes) = try Self.roundTrip(try key.sign(Self.request(at: time)))
            #expect(keys.refusal(of: request, in: bytes) == nil, "\(Timestamp.format(time))")
            let update = CaseUpdate(caseId: "c", agency: "IRS", state: .acknowledged, actor: "a", at: time)
            let (decoded, updateBytes) = try Self.roundTrip(try key.sign(update))
            #expect(keys.refusal(of: decoded, in: updateBytes) == nil)
        }
    }

    @Test func anythingButAValidSignatureByAHeldKeyIsRefused() throws {
        let key = EventSigningKey()
        let keys = try EventVerifyingKeys(publicKeys: [key.publicKeyBase64])
        func refusal(_ request: ErasureRequest) throws -> String? {
            let (decoded, bytes) = try Self.roundTrip(request)
            return keys.refusal(of: decoded, in: bytes)
        }
        #expect(try refusal(try key.sign(Self.request())) == nil)
        #expect(try refusal(Self.request())?.contains("carries no signature") == true)
        #expect(try refusal(try EventSigningKey().sign(Self.request()))?.contains("not trusted here") == true)
        let changes: [(inout ErasureRequest) -> Void] = [
            { $0.eventIds.append("e-3") },
            { $0.agency = "SSA" },
            { $0.reason = "other" },
            { $0.requestedAt = $0.requestedAt.addingTimeInterval(1) },
        ]
        for change in changes {
            var altered = try key.sign(Self.request())
            change(&altered)
            #expect(try refusal(altered)?.contains("does not verify") == true)
        }
        var scheme = try key.sign(Self.request())
        scheme.signature?.scheme = "ed25519-canonical-json/0"
        #expect(try refusal(scheme)?.contains("is not ed25519-canonical-json/1") == true)
        var garbled = try key.sign(Self.request())
        garbled.signature?.value = "AAAA"
        #expect(try refusal(garbled)?.contains("64 bytes") == true)
        // The timestamp text is what is signed: the same instant written with an offset does not verify.
        let signed = try key.sign(Self.request())
        let text = String(decoding: try CivicJSON.makeEncoder().encode(signed), as: UTF8.self)
            .replacingOccurrences(of: "2026-05-28T20:26:40.500Z", with: "2026-05-28T21:26:40.500+01:00")
        let decoded = try CivicJSON.makeDecoder().decode(ErasureRequest.self, from: Data(text.utf8))
        #expect(decoded.requestedAt == signed.requestedAt)
        #expect(keys.refusal(of: decoded, in: Array(text.utf8))?.contains("does not verify") == true)
        #expect(throws: EventKeyError.self) { try EventVerifyingKeys(list: "not-a-key") }
        #expect(try EventVerifyingKeys(list: " ").isEmpty)
    }

    @Test func keysAreReadFromPEMOrBase64InFilesOthersCannotRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-keys-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let raw = folder.appendingPathComponent("raw.key").path
        let key = EventSigningKey()
        try key.write(to: raw)
        #expect(try EventSigningKey(contentsOf: raw).keyId == key.keyId)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: raw)
        #expect(throws: EventKeyError.self) { try EventSigningKey(contentsOf: raw) }
        #expect(throws: EventKeyError.self) { try EventSigningKey(contentsOf: folder.appendingPathComponent("missing.key").path) }
        // openssl's PEM, as an operator makes the pair.
        let pem = folder.appendingPathComponent("pem.key").path
        let publicFile = folder.appendingPathComponent("pem.pub").path
        try Self.openssl(["genpkey", "-algorithm", "ed25519", "-out", pem])
        try Self.openssl(["pkey", "-in", pem, "-pubout", "-out", publicFile])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pem)
        let publicPEM = try String(contentsOfFile: publicFile, encoding: .utf8)
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        let fromPEM = try EventSigningKey(contentsOf: pem)
        let keys = try EventVerifyingKeys(publicKeys: [publicPEM])
        #expect(keys.keyIds == [fromPEM.keyId])
        let (request, bytes) = try Self.roundTrip(try fromPEM.sign(Self.request()))
        #expect(keys.refusal(of: request, in: bytes) == nil)
    }

    /// Runs openssl with `arguments` and waits for it (it exits at once).
    static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestEnvironmentError("openssl \(arguments.joined(separator: " ")) failed") }
    }

    static let migrations = PostgresMigrations(
        schema: "signed",
        migrations: [
            PostgresMigration(
                version: 1,
                name: "rows",
                sql: ErasedEvents.createTableSQL(schema: "signed") + """

                    CREATE TABLE signed.rows (agency text NOT NULL, event_id text NOT NULL, PRIMARY KEY (agency, event_id));
                    """
            )
        ]
    )

    @Test func theErasureStageAppliesOnlyWhatItsKeysSignedAndNothingWithoutAKey() async throws {
        let client = try await TestPostgres.shared().migratedClient(prefix: "signed", Self.migrations, logger: Self.logger)
        defer { client.close() }
        try await client.query("INSERT INTO signed.rows VALUES ('IRS', 'e-1'), ('IRS', 'e-2'), ('IRS', 'e-3')")
        let key = EventSigningKey()
        let erased = ErasedEvents(schema: "signed")
        let tables = [ErasedEvents.EventTable("signed.rows")]
        func message(_ request: ErasureRequest, offset: Int64) throws -> KafkaConsumerMessage {
            KafkaConsumerMessage(
                topic: CivicTopic.erasures,
                partition: 0,
                offset: offset,
                key: nil,
                value: Array(try CivicJSON.makeEncoder().encode(request))
            )
        }
        func left() async throws -> [String] {
            try await client.query("SELECT event_id FROM signed.rows ORDER BY event_id").rows.map { try $0.require("event_id") }
        }
        // No key configured: even a properly signed request is refused, and nothing is erased.
        let keyless = ErasureHandler(
            stage: "demo",
            verifyKeys: EventVerifyingKeys(),
            client: client,
            erased: erased,
            tables: tables,
            logger: Self.logger
        )
        let refusedAll = try await keyless.handle([try message(try key.sign(Self.request(["e-1"], reason: "asked by mail")), offset: 0)])
        #expect(refusedAll.count == 1)
        let refusal = try CivicJSON.makeDecoder().decode(RejectedFeedback.self, from: Data(try #require(refusedAll.first).value))
        #expect(refusal.code == .unauthenticatedRequest)
        #expect(refusal.reason.contains("no erasure verify key"))
        #expect(try await left() == ["e-1", "e-2", "e-3"])
        // With the key: the unsigned and the forged requests are refused, the signed one beside them applies.
        let handler = ErasureHandler(
            stage: "demo",
            verifyKeys: try EventVerifyingKeys(publicKeys: [key.publicKeyBase64]),
            client: client,
            erased: erased,
            tables: tables,
            logger: Self.logger
        )
        let rejections = try await handler.handle([
            try message(Self.request(["e-2"], reason: "asked by mail"), offset: 1),
            try message(try EventSigningKey().sign(Self.request(["e-3"], reason: "asked by mail")), offset: 2),
            try message(try key.sign(Self.request(["e-1"], reason: "asked by mail")), offset: 3),
        ])
        let codes = try rejections.map { try CivicJSON.makeDecoder().decode(RejectedFeedback.self, from: Data($0.value)) }
        #expect(codes.map(\.code) == [.unauthenticatedRequest, .unauthenticatedRequest])
        #expect(codes.map(\.source.offset) == [1, 2])
        #expect(try await left() == ["e-2", "e-3"])
        let tombstones = try await client.query("SELECT event_id FROM signed.erased_events").rows.map { try $0.require("event_id", as: String.self) }
        #expect(tombstones == ["e-1"])
    }
}
