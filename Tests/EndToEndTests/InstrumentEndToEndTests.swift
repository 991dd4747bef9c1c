import CivicKafka
import CivicModels
import CivicPostgres
import CivicTestTraits
import CivicTesting
import Foundation
import Logging
import Testing

/// Survey instruments through the four real services: `civicctl instrument` sets them on survey-intake; a
/// response that breaks the form's display logic, ticks an option the instrument does not offer or uses
/// another trust scale is dead-lettered with its reason; in the Touchpoints upload an option not offered is
/// `null` and one offered and not chosen `0`; a response collected after the PRA clearance expired is counted
/// in the collection's `pra_expired`.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct InstrumentEndToEndTests {
    static let logger = Logger(label: "instrument-e2e")
    static let adminToken = TestHTTP.randomSecret()

    @Test func theUploadTellsAnOptionNotOfferedFromOneNotChosen() async throws {
        let harness = try await PipelineHarness(extraEnvironment: ["CIVIC_INTAKE_ADMIN_TOKEN": Self.adminToken])
        try await harness.startAll()
        // The admin token goes in a file, never on the command line (arguments show in ps).
        let tokenFile = harness.workDirectory.appendingPathComponent("intake-admin.token")
        try Data((Self.adminToken + "\n").utf8).write(to: tokenFile)
        func civicctl(_ arguments: [String]) throws -> (Int32, String) {
            try harness.runTool("civicctl", arguments + ["--url", harness.base("survey-intake"), "--admin-token-file", tokenFile.path])
        }
        let question = "I trust the IRS to fulfil our country's commitment to the public."
        let (set, setOutput) = try civicctl([
            "instrument", "set", "IRS", "free-file", "web", "--form", "a11-v2-thumbs", "--omb-control-number", "1545-2278",
            "--expires-on", "2099-12-31", "--trust-question", question, "--went-well", "effectiveness,ease,efficiency,transparency",
            "--did-not-go-well", "ease,efficiency,other", "--language", "en", "--language", "es",
        ])
        #expect(set == 0, "\(setOutput)")
        // The kiosk instrument's clearance ended two days ago (its last valid day, in UTC): its responses, an hour
        // old, are accepted and flagged. One day ago would not do: in the first hour after midnight UTC the
        // responses would fall on that last valid day.
        let expiredOn = Timestamp.format(Date().addingTimeInterval(-2 * 86_400)).prefix(10)
        let (expired, expiredOutput) = try civicctl([
            "instrument", "set", "IRS", "free-file", "kiosk", "--form", "a11-v2-thumbs", "--omb-control-number", "1545-2279",
            "--expires-on", String(expiredOn), "--trust-question", question, "--went-well", "ease", "--did-not-go-well", "ease",
        ])
        #expect(expired == 0, "\(expiredOutput)")
        let (refused, _) = try civicctl([
            "instrument", "set", "IRS", "free-file", "web", "--form", "a11-v2-thumbs", "--omb-control-number", "1545",
            "--expires-on", "2099-12-31", "--trust-question", question, "--went-well", "ease",
        ])
        #expect(refused != 0, "an invalid control number is refused")
        let (listed, list) = try civicctl(["instrument", "list", "IRS"])
        #expect(listed == 0)
        #expect(list.contains("free-file\tkiosk\ta11-v2-thumbs\t1545-2279\t\(expiredOn)\tEXPIRED"), "\(list)")
        #expect(list.contains("free-file\tweb\ta11-v2-thumbs\t1545-2278\t2099-12-31\t"), "\(list)")

        let now = Date().addingTimeInterval(-3_600)
        func response(_ id: String, channel: String = "web", touchpoint: String? = nil, _ answers: String) -> KafkaOutboundMessage {
            let point = touchpoint.map { #","touchpoint":"\#($0)""# } ?? ""
            let json = """
                {"schema":"cx.feedback.submitted/1","eventId":"\(id)","occurredAt":"\(Timestamp.format(now))","agency":"IRS",\
                "service":"free-file","channel":"\(channel)"\(point),"level":"transaction","form":"a11-v2","answers":\(answers),"submitter":"\(id)"}
                """
            return KafkaOutboundMessage.submission(key: id, value: Array(json.utf8))
        }
        func transaction(_ id: String, touchpoint: String?, offered: Bool) -> KafkaOutboundMessage {
            let point = touchpoint.map { #","touchpoint":"\#($0)""# } ?? ""
            let json = """
                {"schema":"cx.operations/1","eventId":"\(id)","occurredAt":"\(Timestamp.format(now))","agency":"IRS",\
                "service":"free-file","channel":"web"\(point),"surveyOffered":\(offered)}
                """
            return KafkaOutboundMessage.submission(key: id, value: Array(json.utf8))
        }
        let producer = try FollowUpEndToEndTests.producer(harness)
        try await producer.send([
            response("up-ease", touchpoint: "after-filing", #"{"trust":{"scale":"thumbs","value":1},"wentWell":["ease"]}"#),
            response("down-other", #"{"trust":{"scale":"thumbs","value":0},"didNotGoWell":["other"]}"#),
            response("not-offered", #"{"trust":{"scale":"thumbs","value":1},"wentWell":["humanity"]}"#),
            response("display", #"{"trust":{"scale":"thumbs","value":1},"didNotGoWell":["ease"]}"#),
            response("scale", #"{"trust":{"scale":"likert5","value":5}}"#),
            response("kiosk-late", channel: "kiosk", #"{"trust":{"scale":"thumbs","value":1},"wentWell":["ease"]}"#),
            transaction("t-1", touchpoint: "after-filing", offered: true),
            transaction("t-2", touchpoint: "after-filing", offered: false),
            transaction("t-3", touchpoint: "status-check", offered: true),
        ])
        await producer.close()

        let rejected = try await harness.readTopic(CivicTopic.rejected, as: RejectedFeedback.self, atLeast: 3)
        #expect(
            Dictionary(rejected.map { ($0.eventId ?? "", $0.code) }, uniquingKeysWith: { first, _ in first })
                == ["not-offered": .optionNotOffered, "display": .displayLogic, "scale": .instrumentMismatch]
        )
        #expect(rejected.first { $0.eventId == "not-offered" }?.reason.contains("which offers effectiveness, ease, efficiency, transparency") == true)

        let database = PostgresClient(configuration: PostgresConfiguration(connectionString: harness.databaseURL), logger: Self.logger)
        defer { database.close() }
        try await FollowUpEndToEndTests.waitUntil("reporting stored the three accepted responses") {
            try await database.query("SELECT count(*) AS n FROM reporting.feedback").first?.require("n", as: Int64.self) == 3
        }
        try await FollowUpEndToEndTests.waitUntil("reporting stored the three transactions") {
            try await database.query("SELECT count(*) AS n FROM reporting.operations").first?.require("n", as: Int64.self) == 3
        }

        let calendar = Calendar(identifier: .gregorian)
        let parts = calendar.dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: now)
        let month = parts.month ?? 1
        let fiscalYear = (parts.year ?? 0) + (month >= 10 ? 1 : 0)
        let quarter = ((month + 2) % 12) / 3 + 1
        let collection = "agency=IRS&service=free-file&fiscalYear=\(fiscalYear)&quarter=\(quarter)"
        let (status, csv) = try await harness.get("reporting", path: "/v1/exports/touchpoints.csv?\(collection)&channel=web")
        #expect(status == 200, "\(String(decoding: csv, as: UTF8.self))")
        let lines = String(decoding: csv, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.first == QuarterlyPackageEndToEndTests.touchpointsHeader)
        // positive: effectiveness, ease, efficiency, transparency, humanity, employee, other; then negative.
        #expect(lines.contains("down-other,0,null,null,null,null,null,null,null,null,0,0,null,null,null,1,"), "\(lines)")
        #expect(lines.contains("up-ease,1,0,1,0,0,null,null,null,null,null,null,null,null,null,null,"), "\(lines)")
        #expect(lines.count == 3)

        let (collectionsStatus, body) = try await harness.get("reporting", path: "/v1/collections?agency=IRS&fiscalYear=\(fiscalYear)")
        #expect(collectionsStatus == 200)
        let collections = try #require((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["collections"] as? [[String: Any]])
        let late = collections.first { $0["channel"] as? String == "kiosk" }
        let web = collections.first { $0["channel"] as? String == "web" }
        #expect(late?["praExpired"] as? Int == 1, "\(collections)")
        #expect(web?["praExpired"] as? Int == 0, "\(collections)")
        #expect(web?["respondents"] as? Int == 2)
        // Its transaction points (collection details): named ones in order, then the responses that name none.
        let points = try #require(web?["transactionPoints"] as? [[String: Any]])
        #expect(points.map { $0["touchpoint"] as? String } == ["after-filing", "status-check", nil], "\(points)")
        #expect(points.map { [$0["customers"] as? Int, $0["offered"] as? Int, $0["respondents"] as? Int] } == [[2, 1, 1], [1, 1, 0], [0, 0, 1]])
        let (csvStatus, volumes) = try await harness.get(
            "reporting",
            path: "/v1/exports/collections.csv?agency=IRS&fiscalYear=\(fiscalYear)&quarter=\(quarter)"
        )
        #expect(csvStatus == 200)
        #expect(String(decoding: volumes, as: UTF8.self).contains("IRS,free-file,kiosk,\(fiscalYear),\(quarter),true,0,0,1,1"))

        let (retired, _) = try civicctl(["instrument", "retire", "IRS", "free-file", "kiosk"])
        #expect(retired == 0)
        let (_, after) = try civicctl(["instrument", "list", "IRS"])
        #expect(!after.contains("kiosk"), "\(after)")
        _ = await harness.stopAll()
    }
}
