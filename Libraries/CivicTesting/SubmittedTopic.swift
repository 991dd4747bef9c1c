import CivicKafka
import CivicModels
import Foundation

extension CivicTopic {
    /// The submitted topic an agency publishes `value` to: that of the agency its body names
    /// (``CivicTopic/submitted(agency:)``), or `fallbackAgency`'s when it names none (not JSON, no `agency`, a value
    /// that is not an agency code), as an agency's client publishes whatever it publishes to its own topic.
    package static func submitted(carrying value: [UInt8], fallbackAgency: String = "IRS") -> String {
        let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any]
        guard let agency = object?["agency"] as? String, isAgencyCode(agency) else { return submitted(agency: fallbackAgency) }
        return submitted(agency: agency)
    }
}

extension KafkaOutboundMessage {
    /// `value` published as its agency publishes it: to the submitted topic of the agency its body names
    /// (``CivicTopic/submitted(carrying:fallbackAgency:)``).
    package static func submission(
        key: String?,
        value: [UInt8],
        timestampMilliseconds: Int64? = nil,
        fallbackAgency: String = "IRS"
    ) -> KafkaOutboundMessage {
        KafkaOutboundMessage(
            topic: CivicTopic.submitted(carrying: value, fallbackAgency: fallbackAgency),
            key: key,
            value: value,
            timestampMilliseconds: timestampMilliseconds
        )
    }
}
