import CivicModels
import Foundation

/// Why survey-intake refused an input: a machine-readable code, the field to blame, and a reason a person
/// can act on (for example `answers.ease: 7 is outside 1...5`).
package struct Rejection: Error, Sendable, Hashable {
    /// The reason codes agencies can code against, the contract's ``RejectionCode``.
    package typealias Code = RejectionCode

    /// The reason code.
    package var code: Code
    /// The dotted path of the offending field, when one field is to blame.
    package var field: String?
    /// A human-readable reason that names the field.
    package var reason: String
    /// The event id, when it could be read.
    package var eventId: String?

    /// Creates a rejection; the reason is prefixed with the field when there is one. A NUL in any of its
    /// text (quoted from the input) is written out as `\u0000`, so the rejection itself can be stored.
    package init(_ code: Code, field: String?, _ detail: String, eventId: String? = nil) {
        self.code = code
        self.field = field.map(RejectedFeedback.storable)
        self.reason = RejectedFeedback.storable(field.map { "\($0): \(detail)" } ?? detail)
        self.eventId = eventId.map(RejectedFeedback.storable)
    }
}

extension Rejection {
    /// Why a string holding U+0000 is refused: PostgreSQL's text and jsonb cannot store it, so accepting it
    /// would fail its batch's transaction on every retry and hold up the partition behind it.
    static let nulReason = "contains U+0000 (NUL), which cannot be stored"

    /// The first of `fields` whose value contains U+0000.
    static func fieldWithNUL(_ fields: KeyValuePairs<String, String?>) -> String? {
        fields.first { $0.value?.utf8.contains(0) == true }?.key
    }
}

extension Rejection {
    /// Whether `value` is empty or only spaces and tabs (`CharacterSet.whitespaces`), checked on its scalars
    /// (trimming would bridge through `NSString` on every field of every submission).
    static func isBlank(_ value: String) -> Bool {
        value.unicodeScalars.allSatisfy { CharacterSet.whitespaces.contains($0) }
    }
}

extension Rejection {
    /// The longest transaction point (`touchpoint`), in characters.
    static let maxTransactionPointCharacters = 100

    /// Why a transaction point cannot be accepted, or `nil`: when given it names a Touchpoints collection
    /// detail, so it is 1 to 100 characters and not blank.
    static func transactionPointProblem(_ touchpoint: String?) -> String? {
        guard let touchpoint else { return nil }
        if isBlank(touchpoint) { return "must not be empty when given" }
        if touchpoint.count > maxTransactionPointCharacters {
            return "is \(touchpoint.count) characters; the limit is \(maxTransactionPointCharacters)"
        }
        return nil
    }
}
