import CivicContracts
import CivicModels

/// reporting's HTTP API as published in `GET /openapi.json` and `contracts/openapi/reporting.json`.
///
/// Each operation names the Swift types of its parameters and bodies; the schemas are generated from them.
/// To add or change an endpoint (exports, dashboard, more filters), edit the list below in the same commit as
/// the route, then run `ops/contracts` to rewrite `contracts/` (the drift test in CivicContractsTests fails
/// until you do).
public enum ReportingAPI {
    /// The error body every endpoint returns on failure (`OperationsServer.jsonResponse`).
    typealias ErrorBody = [String: String]

    /// The OpenAPI document.
    public static var openAPI: OpenAPIDocument {
        OpenAPIDocument(
            title: "CivicPulse reporting",
            version: "1.0.0",
            description: "Quarterly A-11 CX figures per agency (optionally per service and channel), with small cells "
                + "suppressed (CIVIC_REPORTING_MIN_CELL).",
            operations: reports + [
                APIOperation(.get, "/openapi.json", id: "getOpenAPI", summary: "This document.", tags: ["contracts"])
                    .response(200, "The OpenAPI 3.1 document.", .anyObject)
            ] + OperationsAPI.operations
        )
    }

    static var reports: [APIOperation] {
        [
            APIOperation(.get, "/v1/reports", id: "listReports", summary: "Quarterly report rows.", tags: ["reports"])
                .query("agency", .type(String.self), "Only this agency code.")
                .query("fiscalYear", .type(Int.self), "Only this U.S. federal fiscal year (FY2027 starts in October 2026).")
                .query("quarter", .type(Int.self), "Only this fiscal quarter, 1-4.")
                .query(
                    "groupBy",
                    .type(String.self),
                    "Comma-separated extra grouping: service, channel (rows are per agency and quarter otherwise)."
                )
                .response(200, "The rows; cells under the minimum size show no figures.", .type(ReportsBody.self))
                .response(400, "fiscalYear or quarter is not a number.", .type(ErrorBody.self))
        ]
    }
}
