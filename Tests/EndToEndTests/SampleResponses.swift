import CivicKafka
import CivicModels
import CivicTesting
import Foundation

/// A generated set of responses with known answers: which are valid, which are malformed and why,
/// and the figures the report must show.
struct SampleResponses {
    struct Item {
        var eventId: String
        var agency: String
        var bytes: [UInt8]
        /// The rejection code survey-intake must give, or nil for a valid response.
        var expectedRejection: String?
        /// Whether the trust answer is favourable (valid responses only).
        var trustFavourable: Bool
        /// Whether this is a re-send of an earlier event id (acknowledged, not counted again).
        var isDuplicate: Bool
    }

    var items: [Item] = []

    static let agencies = ["IRS", "SSA", "VA"]
    static let services = ["IRS": "free-file", "SSA": "retirement-benefits", "VA": "health-care-enrollment"]

    /// `count` messages: about 14% malformed in seven different ways, 2% re-sent duplicates, some with
    /// verified identity tokens.
    init(count: Int, now: Date, token: (Int) throws -> String?) rethrows {
        var generator = SeededGenerator(seed: 0xC1F1C)
        let timestamp = ISO8601DateFormatter()
        let channels = ["web", "mobile", "phone", "in-person", "chat"]
        var validSoFar: [Item] = []
        for index in 0..<count {
            let agency = Self.agencies[index % 3]
            let eventId = "e2e-\(index)"
            let thumbs = Int.random(in: 0...3, using: &generator) == 0 ? 0 : 1
            var object: [String: Any] = [
                "schema": "cx.feedback.submitted/1",
                "eventId": eventId,
                "occurredAt": timestamp.string(from: now.addingTimeInterval(-Double(Int.random(in: 60...400_000, using: &generator)))),
                "agency": agency,
                "service": Self.services[agency] ?? "",
                "channel": channels[Int.random(in: 0..<channels.count, using: &generator)],
                "level": "transaction",
                "form": "a11-v2",
                "answers": ["trust": ["scale": "thumbs", "value": thumbs], "recommend": Int.random(in: 0...10, using: &generator)],
                "comment": Self.comment(index),
                "locale": "en-US",
            ]
            if let idToken = try token(index) { object["identity"] = ["idToken": idToken] }
            var rejection: String?
            var bytes: [UInt8]
            switch index % 50 {
            case 7:
                rejection = "not_json"
                bytes = Array("{\"schema\": \"cx.feedback.submitted/1\", \"eventId\": \"\(eventId)\"".utf8)
            case 17:
                rejection = "missing_field"
                object.removeValue(forKey: "agency")
                bytes = Self.json(object)
            case 23:
                rejection = "out_of_range"
                object["answers"] = ["trust": ["scale": "likert5", "value": 7]]
                bytes = Self.json(object)
            case 31:
                rejection = "unknown_schema"
                object["schema"] = "cx.feedback.submitted/7"
                bytes = Self.json(object)
            case 37:
                rejection = "wrong_type"
                object["answers"] = ["trust": ["scale": "thumbs", "value": "yes"]]
                bytes = Self.json(object)
            case 43:
                rejection = "not_utf8"
                bytes = Self.json(object) + [0xFF, 0xFE]
            case 47:
                // Published by its agency's feed, on its agency's topic, for another agency.
                rejection = "agency_mismatch"
                object["agency"] = "NASA"
                bytes = Self.json(object)
            default:
                bytes = Self.json(object)
            }
            let item = Item(
                eventId: eventId,
                agency: agency,
                bytes: bytes,
                expectedRejection: rejection,
                trustFavourable: thumbs == 1,
                isDuplicate: false
            )
            items.append(item)
            if rejection == nil { validSoFar.append(item) }
            // Every 50th message re-sends an earlier valid response (a retrying agency system).
            if index % 50 == 49, let original = validSoFar.dropLast().randomElement(using: &generator) {
                var duplicate = original
                duplicate.isDuplicate = true
                items.append(duplicate)
            }
        }
    }

    /// A comment of ordinary English with mixed sentiment, composed from three fragment lists by the base-12
    /// digits of `index`, shuffled by a multiplier coprime with 12³ so every fragment turns up early: the first
    /// 1,728 comments all differ, and survey-intake's `repeated_text` spam signal (3 copies per agency by
    /// default) never flags the sample (as in `ops/sample/make_sample.py`).
    static func comment(_ index: Int) -> String {
        let tasks = [
            "Filing my return", "Renewing my benefits", "Booking the appointment", "Updating my address",
            "Checking my claim status", "Uploading the documents", "Signing in to my account", "Finding the right form",
            "Calling the help line", "Paying my balance", "Changing my direct deposit", "Requesting a replacement card",
        ]
        let experiences = [
            "was quick and the instructions were clear", "took far too long and nobody called me back",
            "was easy once I found the right page", "kept timing out, which was really frustrating",
            "went smoothly and the staff were kind", "was confusing because the wording is vague", "worked on the first try",
            "was slow, but it got done in the end", "failed twice before it finally went through", "was simple and I felt respected",
            "left me waiting on hold for over an hour", "was fine, though the page looked dated",
        ]
        let remarks = [
            "Thank you!", "Please fix the search.", "I would recommend it to a friend.", "Not happy at all.",
            "Much better than last year.", "The help text could be shorter.", "Great service overall!", "I am disappointed.",
            "Nothing special.", "Keep up the good work.", "I had to ask my daughter for help.", "Please add a way to save progress.",
        ]
        let shuffled = index % 1728 * 1103 % 1728
        return "\(tasks[shuffled % 12]) \(experiences[shuffled / 12 % 12]). \(remarks[shuffled / 144])"
    }

    var valid: [Item] { items.filter { $0.expectedRejection == nil && !$0.isDuplicate } }
    var malformed: [Item] { items.filter { $0.expectedRejection != nil } }

    private static func json(_ object: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}

extension SampleResponses.Item {
    /// The message the item's agency publishes: on its own topic (``CivicTopic/submitted(agency:)``), whatever
    /// its body says (a body for another agency is refused as `agency_mismatch`).
    func message(timestampMilliseconds: Int64? = nil) -> KafkaOutboundMessage {
        KafkaOutboundMessage(
            topic: CivicTopic.submitted(agency: agency),
            key: eventId,
            value: bytes,
            timestampMilliseconds: timestampMilliseconds
        )
    }
}
