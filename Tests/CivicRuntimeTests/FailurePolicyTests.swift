import CivicModels
import CivicRuntime
import CivicTestTraits
import Foundation
import Testing

@testable import CivicKafka
@testable import CivicPostgres

/// The failure policy's classes, without sockets: what is retried, what is isolated and set aside, what
/// stops the stage.
@Suite(.hangGuard) struct FailurePolicyTests {
    struct Refusal: MessageRefusal {
        var rejectionCode: RejectionCode { .invalidValue }
        var reason: String { "answers.trust: not a value" }
    }

    struct Unknown: Error {}

    let policy = FailurePolicy()

    @Test(arguments: [
        ("22021", true),  // a NUL or invalid byte in text
        ("22003", true),  // numeric value out of range
        ("22P02", true),  // invalid text representation
        ("23502", true),  // not-null violation
        ("23514", true),  // check violation
        ("54000", true),  // program limit (an index row too large)
        ("23505", false),  // unique violation: the idempotency keys' race, retried
        ("40001", false),  // serialization failure
        ("40P01", false),  // deadlock
        ("57P01", false),  // admin shutdown
        ("57014", false),  // statement timeout: the database is slow, not the message to blame
        ("08006", false),  // connection failure
        ("42P01", false),  // undefined table: the operator's to fix, shown on /ready
    ])
    func databaseRefusalsOfAValueAreIsolatedAndTheRestRetried(sqlState: String, isolated: Bool) {
        let error = PostgresError(code: .query, reason: "refused", sqlState: sqlState)
        switch policy.decide(error) {
        case .isolate(let code, let reason):
            #expect(isolated, "\(sqlState)")
            #expect(code == .storageRefused)
            #expect(reason.contains(sqlState))
        case .retry:
            #expect(!isolated, "\(sqlState)")
        case .stop:
            Issue.record("\(sqlState) stops the stage")
        }
    }

    @Test func aLostConnectionIsRetried() {
        #expect(policy.decide(PostgresError(code: .connection, reason: "server closed the connection")) == .retry)
        #expect(policy.decide(PostgresError(code: .closed, reason: "closed")) == .retry)
        #expect(policy.decide(PostgresError(code: .poolTimeout, reason: "no connection came free")) == .retry)
    }

    @Test func kafkaErrors() {
        let fatal = KafkaError(code: .produce, reason: "fatal", isFatal: true)
        #expect(policy.decide(fatal) == .stop)
        let tooLarge = KafkaError(code: .produce, reason: "Broker: Message size too large", librdkafkaCode: 10)
        #expect(
            policy.decide(tooLarge)
                == .isolate(.publishRefused, reason: "the broker refused the stage's output: Broker: Message size too large")
        )
        let down = KafkaError(code: .delivery, reason: "all brokers down", librdkafkaCode: -187, isRetriable: true)
        #expect(policy.decide(down) == .retry)
        let timedOut = KafkaError(code: .timedOut, reason: "timed out")
        #expect(policy.decide(timedOut) == .retry)
    }

    @Test func valuesThatCannotBeEncodedOrReadAreIsolated() {
        let encoding = EncodingError.invalidValue(Double.infinity, .init(codingPath: [], debugDescription: "not finite"))
        guard case .isolate(.processingFailed, _) = policy.decide(encoding) else {
            Issue.record("an unencodable value is retried")
            return
        }
        let decoding = DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "bad"))
        guard case .isolate(.processingFailed, _) = policy.decide(decoding) else {
            Issue.record("an unreadable message is retried")
            return
        }
    }

    @Test func aHandlersRefusalKeepsItsCodeAndReason() {
        #expect(policy.decide(Refusal()) == .isolate(.invalidValue, reason: "answers.trust: not a value"))
    }

    @Test func anUnknownErrorIsRetried() {
        #expect(policy.decide(Unknown()) == .retry)
        #expect(policy.decide(CancellationError()) == .retry)
    }

    /// A rejection's text never holds a NUL, and its original fits the broker's limit however large.
    @Test func deadLettersAreStorableAndFitTheBroker() throws {
        let huge = [UInt8](repeating: UInt8(ascii: "a"), count: 800_000)
        let record = RejectedFeedback(
            code: .storageRefused,
            field: "sche\u{0}ma",
            reason: "schema: \"x\u{0}\" is not known",
            source: .init(topic: CivicTopic.submitted(agency: "IRS"), partition: 0, offset: 7),
            original: huge,
            eventId: "e\u{0}1",
            stage: "intake",
            rejectedAt: Date(timeIntervalSince1970: 0)
        )
        #expect(record.reason == "schema: \"x\\u0000\" is not known")
        #expect(record.field == "sche\\u0000ma")
        #expect(record.eventId == "e\\u00001")
        #expect(record.originalSize == 800_000)
        #expect(Data(base64Encoded: record.original)?.count == RejectedFeedback.maximumOriginalBytes)
        let encoded = try CivicJSON.makeEncoder().encode(record)
        #expect(encoded.count < 1_000_000, "\(encoded.count) bytes")
        #expect(!encoded.contains(0))
        let small = RejectedFeedback(code: .notJSON, field: nil, reason: "r", source: .init(), original: [1, 2, 3], rejectedAt: Date())
        #expect(small.originalSize == nil)
        #expect(small.stage == nil)
    }
}
