import CivicModels
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// Small-cell suppression across every published output (the JSON API at every grouping and level, the
/// dashboard), and the role rule: the upload package (collection volumes, legacy counts, Touchpoints rows, the
/// files `reporting export` writes) goes to the analyst whatever a collection's size, and to no viewer. Which cells are small is worked out here from the sample itself (its own
/// fiscal-quarter rule and counts), never from the service.
@Suite(.startsPipeline, .serialized, .hangGuard)
struct SuppressionLeakTests {
    static let minimum = 10
    /// Row keys that name a cell rather than describe it; anything else on a small row is a leak.
    static let identityKeys: Set<String> = ["agency", "service", "channel", "fiscalYear", "quarter", "level", "suppressed", "operationsSuppressed"]

    @Test func noOutputShowsASmallCell() async throws {
        let harness = try await PipelineHarness()
        try await harness.start("reporting")
        let sample = DashboardSample()
        try await harness.publish(sample)
        try await harness.waitUntilStored(sample)

        let counted = sample.feedback.filter { $0.spam?.flagged != true }
        func responses(_ agency: String, _ service: String?, _ channel: String?, _ year: Int, _ quarter: Int) -> Int {
            counted.filter {
                $0.agency == agency && (service == nil || $0.service == service) && (channel == nil || $0.channel.rawValue == channel)
                    && Self.fiscalQuarter($0.occurredAt) == (year, quarter)
            }.count
        }
        func contacts(_ agency: String, _ service: String?, _ channel: String?, _ year: Int, _ quarter: Int) -> Int {
            sample.operations.filter {
                $0.agency == agency && (service == nil || $0.service == service) && (channel == nil || $0.channel.rawValue == channel)
                    && Self.fiscalQuarter($0.occurredAt) == (year, quarter)
            }.count
        }
        // The sample has small cells at every grouping: VA (4 responses), IRS in FY2026 Q3 (6), SSA per
        // channel (6 and 6, though 12 per service), SSA's 3 operational contacts.
        #expect(responses("VA", nil, nil, 2027, 1) == 4)
        #expect(responses("IRS", "free-file", nil, 2026, 3) == 6)
        #expect(responses("SSA", "retirement-benefits", "phone", 2027, 1) == 6)
        #expect(contacts("SSA", nil, nil, 2027, 1) == 3)

        var bodies: [(path: String, body: String)] = []
        func get(_ path: String, status expected: Int = 200) async throws -> Data {
            let (status, body) = try await harness.get("reporting", path: path)
            #expect(status == expected, "\(path): \(String(decoding: body, as: UTF8.self).prefix(300))")
            bodies.append((path, String(decoding: body, as: UTF8.self)))
            return body
        }

        // 1. GET /v1/reports at every grouping: a small row names its cell and says it is suppressed, nothing more.
        var smallRows = 0
        for path in [
            "/v1/reports", "/v1/reports?groupBy=service", "/v1/reports?groupBy=channel", "/v1/reports?groupBy=service,channel",
            "/v1/reports?agency=VA&groupBy=service,channel", "/v1/reports?agency=SSA&fiscalYear=2027&quarter=1&groupBy=service,channel",
        ] {
            let json = try #require(try JSONSerialization.jsonObject(with: try await get(path)) as? [String: Any])
            let rows = try #require(json["reports"] as? [[String: Any]], "\(path)")
            for row in rows {
                let agency = try #require(row["agency"] as? String)
                let service = row["service"] as? String
                let channel = row["channel"] as? String
                let year = try #require(row["fiscalYear"] as? Int)
                let quarter = try #require(row["quarter"] as? Int)
                let n = responses(agency, service, channel, year, quarter)
                let operations = contacts(agency, service, channel, year, quarter)
                let cell = "\(path) \(agency)/\(service ?? "*")/\(channel ?? "*") FY\(year) Q\(quarter)"
                if n < Self.minimum {
                    smallRows += 1
                    #expect(row["suppressed"] as? Bool == true, "\(cell)")
                    for (key, value) in row where !Self.identityKeys.contains(key) && !(value is NSNull) && key != "operations" {
                        Issue.record("\(cell) shows \(key) = \(value) although it has \(n) responses")
                    }
                } else {
                    #expect(row["suppressed"] as? Bool == false, "\(cell)")
                    #expect(row["responses"] as? Int == n, "\(cell)")
                }
                if operations < Self.minimum {
                    #expect(row["operations"] == nil || row["operations"] is NSNull, "\(cell) shows operations of \(operations) contacts")
                }
            }
        }
        #expect(smallRows >= 6)

        // 2. The dashboard: the small cards carry the notice and no number, whatever the filter.
        for (query, cell) in [("agency=VA", "VA/health-care-enrollment"), ("agency=IRS&fiscalYear=2026&quarter=3", "IRS/free-file")] {
            let page = String(decoding: try await get("/dashboard?\(query)"), as: UTF8.self)
            let card = try #require(FigureHook.card(cell, in: page), "\(query): no card for \(cell)")
            #expect(card.contains("Suppressed (n &lt; 10)"), "\(query)")
            let rest = card.replacingOccurrences(of: "Suppressed (n &lt; 10)", with: "").replacing(/<\/?h[1-6]\b/, with: "")
            #expect(!rest.contains { $0.isNumber }, "\(query): \(rest)")
        }

        // 3. The upload package (collection volumes, legacy v1 counts, Touchpoints rows) is the agency's own data
        // to OMB: the analyst gets every collection whatever its size, small ones flagged; a viewer gets none of it.
        var package: [(path: String, body: String)] = []
        func analystGet(_ path: String) async throws -> String {
            let (status, body) = try await harness.get("reporting", path: path)
            #expect(status == 200, "\(path): \(String(decoding: body, as: UTF8.self).prefix(300))")
            package.append((path, String(decoding: body, as: UTF8.self)))
            return String(decoding: body, as: UTF8.self)
        }
        let viewer = try await TestHTTP.mintReportingToken(
            base: harness.base("reporting"),
            adminToken: harness.reportingAdminToken,
            agency: "*",
            role: "viewer"
        )
        for agency in ["VA", "SSA"] {
            let json = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(try await analystGet("/v1/exports/collections?agency=\(agency)&fiscalYear=2027&quarter=1").utf8)
                )
                    as? [String: Any]
            )
            let collections = try #require(json["collections"] as? [[String: Any]])
            #expect(!collections.isEmpty, "\(agency)")
            for collection in collections {
                let service = try #require(collection["service"] as? String)
                let channel = try #require(collection["channel"] as? String)
                let n = responses(agency, service, channel, 2027, 1)
                #expect(collection["suppressed"] as? Bool == (n < Self.minimum), "\(agency)/\(service)/\(channel)")
                #expect(collection["respondents"] as? Int == n, "\(agency)/\(service)/\(channel)")
            }
            for path in ["collections", "collections.csv", "legacy.csv"] {
                let answer = try await TestHTTP.send(
                    "GET",
                    "\(harness.base("reporting"))/v1/exports/\(path)?agency=\(agency)&fiscalYear=2027&quarter=1",
                    bearer: viewer
                )
                #expect(answer.status == 403, "a viewer read \(path)")
            }
        }
        let ssaLegacy = try await analystGet("/v1/exports/legacy.csv?agency=SSA&fiscalYear=2027&quarter=1")
        #expect(ssaLegacy.contains("SSA,retirement-benefits,phone,2027,1,true,"), "\(ssaLegacy)")

        // 4. A small collection's Touchpoints upload is streamed to the analyst, every one of its responses.
        for format in ["csv", "ndjson"] {
            let body = try await analystGet(
                "/v1/exports/touchpoints.\(format)?agency=VA&service=health-care-enrollment&channel=web&fiscalYear=2027&quarter=1"
            )
            let rows = body.split(whereSeparator: \.isNewline).count - (format == "csv" ? 1 : 0)
            #expect(rows == responses("VA", "health-care-enrollment", "web", 2027, 1), "\(format): \(body.prefix(300))")
        }

        // 5. Journey and relationship levels for the small agency.
        for path in [
            "/v1/reports/journeys?agency=VA&service=health-care-enrollment&fiscalYear=2027&quarter=1",
            "/v1/reports/relationships?agency=VA&fiscalYear=2027&quarter=1",
        ] {
            let json = try #require(try JSONSerialization.jsonObject(with: try await get(path)) as? [String: Any])
            #expect(json["suppressed"] as? Bool == true, "\(path): \(json)")
        }

        // 6. `reporting export` writes the package: the small collection's upload too.
        let out = harness.workDirectory.appendingPathComponent("export-va")
        let export = try ManagedProcess(
            executable: RepositoryLayout.binaries.appendingPathComponent("reporting"),
            arguments: ["export", "--agency", "VA", "--fiscal-year", "2027", "--quarter", "1", "--out", out.path],
            environment: harness.environment,
            logFile: harness.workDirectory.appendingPathComponent("export-va.log")
        )
        await export.waitForExit()
        let status = export.terminationStatus
        let log = (try? String(contentsOf: harness.workDirectory.appendingPathComponent("export-va.log"), encoding: .utf8)) ?? ""
        #expect(status == 0, "\(log)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(files.contains("VA-health-care-enrollment-web-FY2027Q1.csv"), "\(files): \(log)")

        // Across every published output (the package aside): no small cell's response ids, comments or answers.
        let smallIds = counted.filter {
            responses($0.agency, $0.service, $0.channel.rawValue, Self.fiscalQuarter($0.occurredAt).year, Self.fiscalQuarter($0.occurredAt).quarter)
                < Self.minimum
        }.map(\.eventId)
        #expect(smallIds.count >= 4 + 6 + 12)
        for (path, body) in bodies {
            for id in smallIds where body.contains("\"\(id)\"") || body.contains("\n\(id),") {
                Issue.record("\(path) contains the small cell's response \(id)")
            }
        }
    }

    /// The U.S. federal fiscal quarter of a date (FY starts 1 October), written out independently.
    static func fiscalQuarter(_ date: Date) -> (year: Int, quarter: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month], from: date)
        let year = parts.year ?? 0
        let month = parts.month ?? 0
        return month >= 10 ? (year + 1, 1) : (year, (month - 1) / 3 + 2)
    }
}
