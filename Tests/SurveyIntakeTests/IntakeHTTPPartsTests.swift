import CivicBytes
import CivicRuntime
import CivicTestTraits
import Foundation
import Testing

@testable import SurveyIntake

/// The HTTP front door's parts without sockets: the token bucket and per-item cost, batch splitting,
/// constant-time comparison and the submitter hash.
@Suite(.hangGuard) struct IntakeHTTPPartsTests {
    @Test func tokenBucketAllowsABurstThenRefillsAtItsRate() {
        var bucket = TokenBucket(capacity: 2, ratePerSecond: 0.5, now: 100)
        #expect(bucket.take(now: 100) == .allow)
        #expect(bucket.take(now: 100) == .allow)
        #expect(bucket.take(now: 100) == .limit(retryAfterSeconds: 2))
        #expect(bucket.take(now: 101) == .limit(retryAfterSeconds: 1))
        #expect(bucket.take(now: 102) == .allow)
        // A long pause refills to the capacity, not beyond.
        #expect(bucket.take(now: 1000) == .allow)
        #expect(bucket.take(now: 1000) == .allow)
        #expect(bucket.take(now: 1000) == .limit(retryAfterSeconds: 2))
    }

    @Test func tokenBucketChargesARequestItsCost() {
        var bucket = TokenBucket(capacity: 10, ratePerSecond: 2, now: 0)
        #expect(bucket.take(4, now: 0) == .allow)
        #expect(bucket.take(4, now: 0) == .allow)
        // 2 left; 4 more need 2 tokens, 1 s at 2 per second. A refusal takes nothing.
        #expect(bucket.take(4, now: 0) == .limit(retryAfterSeconds: 1))
        #expect(bucket.take(2, now: 0) == .allow)
        #expect(bucket.take(10, now: 0) == .limit(retryAfterSeconds: 5))
        #expect(bucket.take(10, now: 4.5) == .limit(retryAfterSeconds: 1))
        #expect(bucket.take(10, now: 5) == .allow)
        // More than the capacity can never be served, whatever the wait.
        #expect(bucket.take(11, now: 1000) == .exceedsCapacity)
        #expect(bucket.take(10, now: 1000) == .allow)
    }

    @Test func aRequestCostsOneTokenPerItem() {
        let cost = { (text: String) in ResponsesEndpoint<SubmissionItemValidator>.cost(of: Array(text.utf8), maxBatchItems: 3) }
        #expect(cost(#"{"eventId": "a"}"#) == 1)
        #expect(cost(#" [{"a": "x,]"}, {"b": [1, 2]}, 3]"#) == 3)
        #expect(cost("[]") == 1)
        // Over the batch limit the processor refuses it before looking at any item.
        #expect(cost("[1, 2, 3, 4]") == 1)
        #expect(cost("not json") == 1)
    }

    @Test func arraysSplitIntoTheExactBytesOfEachElement() throws {
        let text = #"  [ {"a": "x,]}\"", "b": [1, {"c": 2}]} ,{"d":null},42, "s" ]  "#
        let bytes = Array(text.utf8)
        let ranges = try #require(JSONArrayItems.split(bytes))
        #expect(
            ranges.map { String(decoding: bytes[$0], as: UTF8.self) } == [#"{"a": "x,]}\"", "b": [1, {"c": 2}]}"#, #"{"d":null}"#, "42", #""s""#]
        )
        #expect(JSONArrayItems.split(Array("[]".utf8)) == [])
        #expect(JSONArrayItems.split(Array(#"{"a": 1}"#.utf8)) == nil)
    }

    @Test func constantTimeComparison() {
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
    }

    @Test func submitterIsAKeyedHashOfTheAddress() {
        let hasher = SubmitterHasher(secret: "k1")
        let value = hasher.submitter(forAddress: "203.0.113.9")
        #expect(value == hasher.submitter(forAddress: "203.0.113.9"))
        #expect(value != hasher.submitter(forAddress: "203.0.113.10"))
        #expect(value != SubmitterHasher(secret: "k2").submitter(forAddress: "203.0.113.9"))
        #expect(!value.contains("203.0.113.9"))
    }

    @Test func submitterIsAddedWithoutChangingTheRestOfTheItem() throws {
        let item = Array(#"{"eventId":"e1","comment":"1.50 é"}"#.utf8)
        let added = try SubmissionItemValidator.adding(submitter: "addr-ab", to: item)
        #expect(String(decoding: added, as: UTF8.self) == #"{"submitter":"addr-ab","eventId":"e1","comment":"1.50 é"}"#)
        let explicitNull = try SubmissionItemValidator.adding(submitter: "addr-ab", to: Array(#"{"eventId":"e1","submitter":null}"#.utf8))
        let object = try JSONSerialization.jsonObject(with: Data(explicitNull)) as? [String: Any]
        #expect(object?["submitter"] as? String == "addr-ab")
        #expect(DuplicateKeyScanner.firstDuplicate(in: explicitNull) == nil)
        let escapedNull = try SubmissionItemValidator.adding(
            submitter: "addr-ab",
            to: Array(#"{"eventId":"e1","\u0073ubmitter":null,"comment":"no submitter here"}"#.utf8)
        )
        #expect(DuplicateKeyScanner.firstDuplicate(in: escapedNull) == nil)
        let escapedObject = try JSONSerialization.jsonObject(with: Data(escapedNull)) as? [String: Any]
        #expect(escapedObject?["submitter"] as? String == "addr-ab")
        #expect(escapedObject?["comment"] as? String == "no submitter here")
    }
}

/// Whose address a submission's rate signals key on.
@Suite(.hangGuard) struct ClientAddressTests {
    @Test func onlyATrustedProxysForwardedAddressIsBelieved() {
        let trusted = ["10.0.0.0/8", "fd00::/8", "192.0.2.1"].compactMap(IPNetwork.init)
        #expect(trusted.count == 3)
        // Direct: the agency's own server.
        #expect(ClientAddress.resolve(peer: "203.0.113.7", forwardedFor: ["198.51.100.1"], trusted: trusted) == nil)
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: [], trusted: trusted) == nil)
        // Through trusted proxies: the right-most untrusted hop.
        #expect(ClientAddress.resolve(peer: "10.1.2.3", forwardedFor: ["198.51.100.1, 203.0.113.7, 10.9.9.9"], trusted: trusted) == "203.0.113.7")
        #expect(ClientAddress.resolve(peer: "192.0.2.1", forwardedFor: ["2001:db8::5"], trusted: trusted) == "2001:db8::5")
        #expect(ClientAddress.resolve(peer: "fd00::1", forwardedFor: ["fd12::2", "203.0.113.8"], trusted: trusted) == "203.0.113.8")
        // A garbage hop, or only trusted hops: nothing to believe.
        #expect(ClientAddress.resolve(peer: "10.1.2.3", forwardedFor: ["not-an-address"], trusted: trusted) == nil)
        #expect(ClientAddress.resolve(peer: "10.1.2.3", forwardedFor: ["10.4.4.4"], trusted: trusted) == nil)
        #expect(ClientAddress.resolve(peer: "192.0.2.2", forwardedFor: ["203.0.113.7"], trusted: trusted) == nil)
        for bad in ["", "10.0.0.0/33", "::/129", "example.org", "10.0.0.0/x", "1.2.3.4/8/1"] { #expect(IPNetwork(bad) == nil, "\(bad)") }
    }
}
