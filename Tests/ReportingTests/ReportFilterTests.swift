import CivicRuntime
import CivicTestTraits
import Testing

@testable import ReportingCore
@testable import ReportingWeb

/// `GET /v1/reports` query parameters: good ones become a filter, each bad one a clear error naming it.
@Suite(.hangGuard) struct ReportFilterTests {
    private func parse(_ query: [(String, String)]) throws(APIError) -> ReportQuery.Filter {
        try ReportQuery.Filter(parameters: query.map { (name: $0.0, value: $0.1) })
    }

    @Test func everyParameterIsRead() throws {
        let filter = try parse([
            ("agency", "IRS"), ("service", "free-file"), ("channel", "in-person"), ("fiscalYear", "2027"), ("quarter", "2"),
            ("groupBy", "service,channel"), ("level", "transaction"), ("trend", "false"),
        ])
        #expect(
            filter
                == ReportQuery.Filter(
                    agency: "IRS",
                    service: "free-file",
                    channel: "in-person",
                    fiscalYear: 2027,
                    quarter: 2,
                    byService: true,
                    byChannel: true,
                    trend: false
                )
        )
        #expect(try parse([]) == ReportQuery.Filter())
        #expect(try parse([("groupBy", "channel")]).byService == false)
    }

    @Test(arguments: [
        ("fiscalYear", "twenty", "fiscalYear: \"twenty\" is not a whole number in 2000...2200"),
        ("fiscalYear", "99999", "fiscalYear: \"99999\" is not a whole number in 2000...2200"),
        ("quarter", "5", "quarter: \"5\" is not a whole number in 1...4"),
        ("quarter", "0", "quarter: \"0\" is not a whole number in 1...4"),
        ("channel", "fax", "channel: \"fax\" is not one of web, mobile, phone, in-person, email, chat, mail, kiosk"),
        ("groupBy", "agency", "groupBy: \"agency\" is not service or channel (a comma-separated list of them)"),
        ("groupBy", "service,", "groupBy: \"\" is not service or channel (a comma-separated list of them)"),
        ("level", "journey", "level: \"journey\" is not served here; /v1/reports serves the transaction level only"),
        ("trend", "yes", "trend: \"yes\" is not true or false"),
        ("agency", "", "agency: must not be empty"),
        ("agency", "IRS\u{0}", "agency: must not contain control characters"),
        ("service", "free\u{1B}[31m-file", "service: must not contain control characters"),
        ("agency", String(repeating: "A", count: 4_097), "agency: longer than 4096 bytes"),
        ("fy", "2027", "fy: unknown parameter; accepted: agency, service, channel, fiscalYear, quarter, groupBy, level, trend"),
    ])
    func badValuesAreRefusedNamingTheParameter(name: String, value: String, reason: String) {
        #expect(throws: APIError.invalidParameter(name, reason)) { try parse([(name, value)]) }
    }

    @Test func repeatedParametersAreRefused() {
        #expect(throws: APIError.invalidParameter("agency", "agency: given more than once")) {
            try parse([("agency", "IRS"), ("agency", "SSA")])
        }
    }
}
