import CivicJSON
import CivicModels

/// The AsyncAPI 3.0 document for every topic in `CivicTopic.contracted` (the agencies' submitted topics as one
/// channel, `cx.feedback.submitted.v1.{agency}`, with its parameter): one channel per topic, one send and one
/// receive operation per service that publishes or consumes it, and message payloads that `$ref` the
/// event's JSON Schema document (`schemas/<name>.schema.json`, beside the AsyncAPI file and below
/// `/v1/contracts/` over HTTP).
package enum AsyncAPIDocument {
    /// The AsyncAPI version the document follows.
    package static let version = "3.0.0"
    /// The document's own version: bump it with the events' schema versions.
    package static let documentVersion = "1.0.0"
    /// The media type JSON Schema payloads are declared with (JSON Schema draft 2020-12).
    package static let schemaFormat = "application/schema+json;version=draft-2020-12"

    /// Builds the document from ``EventCatalog/all``. Throws when a topic in `CivicTopic.contracted` has no event.
    package static func make(events: [EventContract] = EventCatalog.all) throws -> JSONValue {
        var channels = JSONObject()
        var operations = JSONObject()
        var messages = JSONObject()
        for topic in CivicTopic.contracted {
            let topicEvents = events.filter { $0.topic == topic }
            guard !topicEvents.isEmpty else {
                throw ContractError(.unknownDocument, typeName: topic, "has no event in EventCatalog")
            }
            let channelId = identifier(topic)
            var channelMessages = JSONObject()
            for event in topicEvents {
                let messageId = identifier(event.name)
                messages[messageId] = [
                    "name": .string(event.schemaId),
                    "title": .string(event.title),
                    "summary": .string(event.summary),
                    "contentType": "application/json",
                    "payload": [
                        "schemaFormat": .string(schemaFormat),
                        "schema": ["$ref": .string("schemas/\(event.fileName)")],
                    ],
                    "bindings": [
                        "kafka": ["key": ["type": "string", "description": .string(event.key)], "bindingVersion": "0.5.0"]
                    ],
                ]
                channelMessages[messageId] = ["$ref": .string("#/components/messages/\(messageId)")]
            }
            let event = topicEvents[0]
            var channel: JSONObject = [
                "address": .string(topic),
                "title": .string(event.title),
                "description": .string(
                    "\(event.summary) Published by \(event.senders.joined(separator: ", ")); "
                        + "consumed by \(event.receivers.joined(separator: ", ")). Key: \(event.key)"
                ),
                "messages": .object(channelMessages),
            ]
            if topic == CivicTopic.agencySubmittedAddress {
                channel["parameters"] = [
                    "agency": [
                        "description": .string(
                            "The agency's code in lower case (`irs` for IRS): each agency publishes only to its own topic, the "
                                + "only one its Kafka principal may write, and survey-intake dead-letters a record whose `agency` "
                                + "names another agency (agency_mismatch). The shared topic \(CivicTopic.legacySubmitted) is "
                                + "retired: whatever arrives there is dead-lettered (topic_retired)."
                        )
                    ]
                ]
            }
            channels[channelId] = .object(channel)
            let messageRefs = JSONValue.array(
                topicEvents.map { ["$ref": .string("#/channels/\(channelId)/messages/\(identifier($0.name))")] }
            )
            for (action, parties) in [("send", event.senders), ("receive", event.receivers)] {
                for party in parties {
                    operations[identifier("\(party) \(action) \(topic)")] = [
                        "action": .string(action),
                        "channel": ["$ref": .string("#/channels/\(channelId)")],
                        "summary": .string("\(party) \(action == "send" ? "publishes to" : "consumes") \(topic)."),
                        "messages": messageRefs,
                    ]
                }
            }
        }
        return [
            "asyncapi": .string(version),
            "info": [
                "title": "CivicPulse events",
                "version": .string(documentVersion),
                "description": .string(
                    "The Kafka topics of the CivicPulse CX feedback pipeline. Payloads are JSON; every event carries its "
                        + "schema identifier in `schema`. Adding an optional field is compatible; renaming or removing one "
                        + "is a new schema version, and the old version stays accepted. Generated from the Swift types "
                        + "in CivicModels by CivicContracts."
                ),
                "license": ["name": "Apache-2.0"],
            ],
            "defaultContentType": "application/json",
            "channels": .object(channels),
            "operations": .object(operations),
            "components": ["messages": .object(messages)],
        ]
    }

    /// A component identifier from free text: `cx.feedback.submitted.v1` -> `cxFeedbackSubmittedV1`.
    static func identifier(_ text: String) -> String {
        let words = text.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        guard let first = words.first else { return "unnamed" }
        return first.lowercased() + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
