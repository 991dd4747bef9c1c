import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

@testable import SurveyIntake

/// `POST /v1/responses` against the real service: batches, duplicates, and the request-level answers
/// (400, 401, 413, 429, with the rate limit counted per item).
@Suite(.startsProcesses, .serialized, .hangGuard)
struct IntakeHTTPTests {
    @Test func mixedBatchIsAnsweredPerItemAndValidItemsFlowThroughTheStreamProcessor() async throws {
        try await IntakeHTTPHarness.run { harness in
            let key = try await harness.mintKey("IRS")
            let named = IntakeHTTPHarness.response("b-named") { $0["submitter"] = "app-install-42" }
            let anonymous = IntakeHTTPHarness.response("b-anon")
            let invalid = IntakeHTTPHarness.response("b-bad") { $0["answers"] = ["trust": ["scale": "thumbs", "value": 2]] }
            let foreign = IntakeHTTPHarness.response("b-ssa") {
                $0["agency"] = "SSA"
                $0["service"] = "retirement"
            }
            let reply = try await harness.submit(IntakeHTTPHarness.batch([named, invalid, anonymous, foreign]), key: key)
            #expect(reply.status == 202)
            let result = try reply.decode(SubmissionResult.self)
            #expect(result.results.map(\.index) == [0, 1, 2, 3])
            #expect(result.results.map(\.status) == [.accepted, .rejected, .accepted, .rejected])
            #expect(result.results.map(\.eventId) == ["b-named", "b-bad", "b-anon", "b-ssa"])
            #expect(result.results[1].code == "out_of_range")
            #expect(result.results[1].reason == "answers.trust.value: 2 is outside 0...1 for the thumbs scale")
            #expect(result.results[3].code == "forbidden_agency")

            // The stream processor stores and forwards the accepted ones.
            let reader = try harness.reader(CivicTopic.accepted)
            let messages = try await IntakeHTTPHarness.read(reader) { $0.count >= 2 }
            let events = try messages.map { try CivicJSON.makeDecoder().decode(FeedbackEvent.self, from: Data($0.value)) }
            #expect(Set(events.map(\.eventId)) == ["b-named", "b-anon"])
            #expect(events.first { $0.eventId == "b-named" }?.submitter == "app-install-42")
            // Posted directly (no trusted proxy): the caller is the agency's back end, not the respondent, so
            // no submitter is derived from its address.
            #expect(events.first { $0.eventId == "b-anon" }?.submitter == nil)
            let stored = try await harness.postgres.query("SELECT payload::text AS p FROM intake.responses WHERE event_id = 'b-anon'")
            #expect(try stored.first?.require("p", as: String.self).contains("127.0.0.1") == false)
            await reader.close()
        }
    }

    @Test func rateSignalsKeyOnTheRespondentNeverOnTheAgencysServer() async throws {
        let trustLoopback: (inout IntakeHTTPConfiguration) -> Void = { $0.trustedProxies = [IPNetwork("127.0.0.1/32")].compactMap { $0 } }
        try await IntakeHTTPHarness.run(adjusting: trustLoopback) { harness in
            let key = try await harness.mintKey("IRS")
            // An agency back end posts 30 of its citizens' responses without `submitter`: none is rate-flagged.
            for index in 0..<30 {
                #expect(try await harness.submit(IntakeHTTPHarness.response("rate-backend-\(index)"), key: key).status == 202)
            }
            // 30 from one declared respondent: flagged after the limit (20), whatever the address.
            for index in 0..<30 {
                let body = IntakeHTTPHarness.response("rate-named-\(index)") { $0["submitter"] = "kiosk-7" }
                #expect(try await harness.submit(body, key: key).status == 202)
            }
            // Through the trusted proxy, the respondent's forwarded address is keyed (hashed, never stored);
            // hops the client wrote before it are not believed past the first untrusted one.
            for index in 0..<25 {
                let forwarded = ["X-Forwarded-For": "198.51.100.\(index), 203.0.113.7"]
                #expect(try await harness.submit(IntakeHTTPHarness.response("rate-proxied-\(index)"), key: key, headers: forwarded).status == 202)
            }
            let deadline = ContinuousClock.now + TestPatience.hang
            var counts: [String: (stored: Int64, flagged: Int64)] = [:]
            while ContinuousClock.now < deadline {
                let rows = try await harness.postgres.query(
                    """
                    SELECT split_part(event_id, '-', 2) AS kind, count(*) AS stored,
                           count(*) FILTER (WHERE 'source_rate' = ANY(spam_reasons)) AS flagged
                    FROM intake.responses WHERE event_id LIKE 'rate-%' GROUP BY 1
                    """
                )
                counts = [:]
                for row in rows.rows { counts[try row.require("kind")] = (try row.require("stored"), try row.require("flagged")) }
                if counts.values.map(\.stored).reduce(0, +) == 85 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(counts["backend"]?.stored == 30 && counts["backend"]?.flagged == 0)
            #expect(counts["named"]?.stored == 30 && counts["named"]?.flagged == 10)
            #expect(counts["proxied"]?.stored == 25 && counts["proxied"]?.flagged == 5)
            let proxied = try await harness.postgres.query(
                "SELECT submitter, payload::text AS p FROM intake.responses WHERE event_id = 'rate-proxied-0'"
            )
            #expect(try proxied.first?.require("submitter", as: String.self).hasPrefix("addr-") == true)
            #expect(try proxied.first?.require("p", as: String.self).contains("203.0.113.7") == false)
        }
    }

    @Test func resubmittedEventIdIsReportedDuplicateAndForwardedOnce() async throws {
        try await IntakeHTTPHarness.run { harness in
            let key = try await harness.mintKey("IRS")
            let reader = try harness.reader(CivicTopic.accepted)
            let first = try await harness.submit(IntakeHTTPHarness.response("dup-1"), key: key)
            #expect(try first.decode(SubmissionResult.self).results.map(\.status) == [.accepted])
            // Wait until the stream processor stored and forwarded it.
            var forwarded = try await IntakeHTTPHarness.read(reader) { $0.count >= 1 }
            #expect(forwarded.count == 1)

            let again = try await harness.submit(IntakeHTTPHarness.response("dup-1"), key: key)
            #expect(again.status == 202)
            #expect(try again.decode(SubmissionResult.self).results.map(\.status) == [.duplicate])
            // The same id twice in one request: the second is a duplicate too.
            let twice = try await harness.submit(
                IntakeHTTPHarness.batch([IntakeHTTPHarness.response("dup-2"), IntakeHTTPHarness.response("dup-2")]),
                key: key
            )
            #expect(try twice.decode(SubmissionResult.self).results.map(\.status) == [.accepted, .duplicate])

            // A later event passes through; by then dup-1 would have been forwarded again if it were going to be.
            let later = try await harness.submit(IntakeHTTPHarness.response("dup-3"), key: key)
            #expect(later.status == 202)
            forwarded += try await IntakeHTTPHarness.read(reader) { received in
                received.contains { $0.key == Array("dup-3".utf8) } && received.contains { $0.key == Array("dup-2".utf8) }
            }
            let keys = forwarded.compactMap { $0.key.map { String(decoding: $0, as: UTF8.self) } }
            #expect(keys.filter { $0 == "dup-1" }.count == 1)
            #expect(keys.filter { $0 == "dup-2" }.count == 1)
            #expect(keys.contains("dup-3"))
            await reader.close()
            // The re-sent dup-1 was published all the same (its look-up ran while the broker acknowledged), and
            // the stream processor recorded it as a duplicate submission; the one in the same request was not.
            var recorded: [String] = []
            let deadline = ContinuousClock.now + TestPatience.hang
            while recorded.isEmpty, ContinuousClock.now < deadline {
                let rows = try await harness.postgres.query(
                    "SELECT event_id FROM intake.duplicates WHERE source_topic = $1 ORDER BY event_id",
                    [CivicTopic.submitted(agency: "IRS")]
                )
                recorded = try rows.rows.map { try $0.require("event_id", as: String.self) }
                if recorded.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(recorded == ["dup-1"])
        }
    }

    @Test func requestLevelRefusals() async throws {
        let limits: (inout IntakeHTTPConfiguration) -> Void = {
            $0.maxBatchItems = 3
            $0.maxBodyBytes = 100_000
            $0.burst = 2
            $0.requestsPerSecond = 1
        }
        try await IntakeHTTPHarness.run(adjusting: limits) { harness in
            let item = IntakeHTTPHarness.response("r-1")

            // 401: no key, a malformed key, an unknown key, a known id with the wrong secret.
            let key = try await harness.mintKey("IRS")
            let wrongSecret = String(key.dropLast(4)) + (key.hasSuffix("0000") ? "1111" : "0000")
            for candidate in [nil, "nonsense", "cpk_0000000000000000_" + String(repeating: "a", count: 64), wrongSecret] {
                let reply = try await harness.submit(item, key: candidate)
                #expect(reply.status == 401, "key \(candidate ?? "none")")
                #expect(reply.headers["www-authenticate"] == "Bearer")
                #expect(try reply.decode(APIErrorBody.self).code == "unauthorized")
            }

            // 400: malformed array, too many items, empty array (each with its own key, so the rate limit stays out of it).
            let malformed = try await harness.submit(Array("[{\"a\": 1},".utf8), key: try await harness.mintKey("IRS"))
            #expect(malformed.status == 400)
            #expect(try malformed.decode(APIErrorBody.self).code == "not_json")
            let tooMany = try await harness.submit(
                IntakeHTTPHarness.batch((0..<4).map { IntakeHTTPHarness.response("many-\($0)") }),
                key: try await harness.mintKey("IRS")
            )
            #expect(tooMany.status == 400)
            let tooManyBody = try tooMany.decode(APIErrorBody.self)
            #expect(tooManyBody.code == "too_many_items")
            #expect(tooManyBody.reason == "the array has 4 items; the limit is 3")
            let empty = try await harness.submit(Array("[ ]".utf8), key: try await harness.mintKey("IRS"))
            #expect(empty.status == 400)
            #expect(try empty.decode(APIErrorBody.self).code == "empty_batch")

            // 413: a body over the configured limit.
            let large = try await harness.submit(
                IntakeHTTPHarness.response("big") { $0["comment"] = String(repeating: "b", count: 120_000) },
                key: try await harness.mintKey("IRS")
            )
            #expect(large.status == 413)
            #expect(try large.decode(APIErrorBody.self).code == "body_too_large")

            // 429 + Retry-After: a burst of 2, refilled at 1 per second; a quick series must hit the limit.
            let limited = try await harness.mintKey("IRS")
            var statuses: [Int] = []
            var retryAfter: String?
            for index in 0..<20 where !statuses.contains(429) {
                let reply = try await harness.submit(IntakeHTTPHarness.response("rate-\(index)"), key: limited)
                statuses.append(reply.status)
                if reply.status == 429 {
                    retryAfter = reply.headers["retry-after"]
                    #expect(try reply.decode(APIErrorBody.self).code == "rate_limited")
                }
            }
            #expect(statuses.prefix(2) == [202, 202])
            #expect(statuses.contains(429))
            #expect(retryAfter.flatMap(Int.init).map { $0 >= 1 } == true)
            // Another key of the same agency has its own bucket.
            #expect(try await harness.submit(item, key: try await harness.mintKey("IRS")).status == 202)
        }
    }

    /// A request costs one token per item: a batch that fits the burst passes once, the same batch again is
    /// refused with a Retry-After for that many items while a single item still passes, and a batch larger
    /// than the burst is refused outright (waiting could never help).
    @Test func rateLimitCountsItemsNotRequests() async throws {
        let limits: (inout IntakeHTTPConfiguration) -> Void = {
            $0.burst = 10
            $0.requestsPerSecond = 1
        }
        try await IntakeHTTPHarness.run(adjusting: limits) { harness in
            let key = try await harness.mintKey("IRS")
            let six = { (prefix: String) in IntakeHTTPHarness.batch((0..<6).map { IntakeHTTPHarness.response("\(prefix)-\($0)") }) }
            let first = try await harness.submit(six("first"), key: key)
            #expect(first.status == 202)
            #expect(try first.decode(SubmissionResult.self).results.count == 6)

            // 4 tokens left (plus at most 1 per second since): 6 items do not fit, and 2 more tokens take 1-2 s.
            let second = try await harness.submit(six("second"), key: key)
            #expect(second.status == 429)
            #expect(try second.decode(APIErrorBody.self).code == "rate_limited")
            let retryAfter = try #require(second.headers["retry-after"].flatMap(Int.init))
            #expect((1...2).contains(retryAfter), "Retry-After \(retryAfter) s for 2 missing tokens at 1 per second")
            // A single item still fits: the refused batch took nothing.
            #expect(try await harness.submit(IntakeHTTPHarness.response("single"), key: key).status == 202)
            // The same rule and the same budget cover /v1/operations.
            let operations = IntakeHTTPHarness.batch((0..<6).map { IntakeHTTPOperationsTests.operations("op-\($0)") })
            #expect(try await harness.send("POST", "/v1/operations", body: operations, bearer: key).status == 429)

            // More items than the burst can never pass: 400 naming the burst, on a fresh key with a full bucket.
            let fresh = try await harness.mintKey("IRS")
            let eleven = IntakeHTTPHarness.batch((0..<11).map { IntakeHTTPHarness.response("big-\($0)") })
            let tooBig = try await harness.submit(eleven, key: fresh)
            #expect(tooBig.status == 400)
            #expect(tooBig.headers["retry-after"] == nil)
            let body = try tooBig.decode(APIErrorBody.self)
            #expect(body.code == "batch_exceeds_burst")
            #expect(body.reason.hasPrefix("the array has 11 items; an API key may submit at most 10 at once"))
            // It took nothing either: a full burst still passes.
            let ten = IntakeHTTPHarness.batch((0..<10).map { IntakeHTTPHarness.response("ten-\($0)") })
            #expect(try await harness.submit(ten, key: fresh).status == 202)
        }
    }

    @Test func brokerDownIsAnswered503SoTheClientRetries() async throws {
        try await IntakeHTTPHarness.run { harness in
            let key = try await harness.mintKey("IRS")
            await harness.broker.kill()
            // The producer gives up after its message timeout (5 s in the harness) and the client is told to retry.
            let reply = try await harness.submit(IntakeHTTPHarness.response("down-1"), key: key)
            #expect(reply.status == 503)
            #expect(reply.headers["retry-after"] == "5")
            #expect(try reply.decode(APIErrorBody.self).code == "broker_unavailable")
        }
    }
}
