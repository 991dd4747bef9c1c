import CivicContracts
import CivicModels

/// reporting's HTTP API as published in `GET /openapi.json` and `contracts/openapi/reporting.json`.
///
/// Each operation names the Swift types of its parameters and bodies; the schemas are generated from them.
/// To add or change an endpoint (exports, dashboard, more filters), edit the list below in the same commit as
/// the route, then run `ops/contracts` to rewrite `contracts/` (the drift test in CivicContractsTests fails
/// until you do).
public enum ReportingAPI {
    /// The error body every endpoint of every service returns on failure (``APIError``).
    typealias ErrorBody = APIErrorBody

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
            APIOperation(.get, "/v1/reports", id: "listReports", summary: "Quarterly report rows (transaction level).", tags: ["reports"])
                .query("agency", .type(String.self), "Only this agency code.")
                .query("service", .type(String.self), "Only this service.")
                .query("channel", .type(Channel.self), "Only this channel.")
                .query("fiscalYear", .type(Int.self), "Only this U.S. federal fiscal year (FY2027 starts in October 2026).")
                .query("quarter", .type(Int.self), "Only this fiscal quarter, 1-4.")
                .query(
                    "groupBy",
                    .type(String.self),
                    "Comma-separated extra grouping: service, channel (rows are per agency and quarter otherwise)."
                )
                .query("level", .oneOf(values: ["transaction"]), "The measurement level; journey and relationship have their own paths.")
                .query("trend", .oneOf(values: ["true", "false"]), "Include the change since the previous quarter (default true).")
                .response(200, "The rows; cells and figures under the minimum size show no figures.", .type(ReportsBody.self))
                .response(400, "A parameter is unknown, repeated, empty or out of range; `field` names it.", .type(ErrorBody.self)),
            APIOperation(
                .get,
                "/v1/reports/journeys",
                id: "journeyReport",
                summary: "Journey level: completion, funnel, journey scores.",
                tags: ["reports"]
            )
            .query("agency", .type(String.self), "The agency code.", required: true)
            .query("service", .type(String.self), "The service.", required: true)
            .query("fiscalYear", .type(Int.self), "The fiscal year.", required: true)
            .query("quarter", .type(Int.self), "The fiscal quarter, 1-4.", required: true)
            .response(200, "The journey report; suppressed when fewer journeys than the minimum.", .type(JourneyReport.self))
            .response(400, "A parameter is missing or invalid; `field` names it.", .type(ErrorBody.self)),
            APIOperation(
                .get,
                "/v1/reports/relationships",
                id: "relationshipReport",
                summary: "Relationship level: per respondent across interactions and agencies.",
                tags: ["reports"]
            )
            .query("agency", .type(String.self), "Only answers about this agency (respondents may span agencies).")
            .query("fiscalYear", .type(Int.self), "The fiscal year.", required: true)
            .query("quarter", .type(Int.self), "The fiscal quarter, 1-4.", required: true)
            .response(200, "The relationship report; suppressed when fewer respondents than the minimum.", .type(RelationshipReport.self))
            .response(400, "A parameter is missing or invalid; `field` names it.", .type(ErrorBody.self)),
        ] + exports + [
            APIOperation(.get, "/dashboard", id: "dashboard", summary: "The server-rendered dashboard (HTML).", tags: ["dashboard"])
                .query("agency", .type(String.self), "Only this agency code.")
                .query("fiscalYear", .type(Int.self), "The fiscal year (default: the latest with data).")
                .query("quarter", .type(Int.self), "The fiscal quarter, 1-4.")
                .response(200, "The dashboard page.", .text, mediaType: "text/html")
                .response(400, "A filter is invalid; the page names it.", .text, mediaType: "text/html")
        ]
    }

    static var exports: [APIOperation] {
        let collection: (APIOperation) -> APIOperation = {
            $0.query("agency", .type(String.self), "The agency code.", required: true)
                .query("fiscalYear", .type(Int.self), "The fiscal year.", required: true)
                .query("quarter", .type(Int.self), "The fiscal quarter, 1-4.", required: true)
                .response(400, "A parameter is missing or invalid; `field` names it.", .type(ErrorBody.self))
        }
        let rows: (APIOperation) -> APIOperation = {
            $0.query("agency", .type(String.self), "The agency code.", required: true)
                .query("service", .type(String.self), "The service.", required: true)
                .query("channel", .type(Channel.self), "The channel.", required: true)
                .query("fiscalYear", .type(Int.self), "The fiscal year.", required: true)
                .query("quarter", .type(Int.self), "The fiscal quarter, 1-4.", required: true)
                .response(400, "A parameter is missing or invalid; `field` names it.", .type(ErrorBody.self))
                .response(409, "The collection is suppressed (fewer responses than the minimum cell size).", .type(ErrorBody.self))
        }
        return [
            collection(
                APIOperation(.get, "/v1/exports/collections", id: "collections", summary: "Collections and their volumes.", tags: ["exports"])
                    .response(200, "Customers, offered and respondents per service and channel; small ones suppressed.", .type(CollectionsBody.self))
            ),
            collection(
                APIOperation(.get, "/v1/exports/collections.csv", id: "collectionsCSV", summary: "Collections and volumes as CSV.", tags: ["exports"])
                    .response(200, "CSV, one row per collection.", .text, mediaType: "text/csv")
            ),
            collection(
                APIOperation(.get, "/v1/exports/legacy.csv", id: "legacyCSV", summary: "A-11 v1 counts q1_1 ... q7_5.", tags: ["exports"])
                    .response(200, "CSV, one row per collection of v1 responses.", .text, mediaType: "text/csv")
            ),
            rows(
                APIOperation(
                    .get,
                    "/v1/exports/touchpoints.csv",
                    id: "touchpointsCSV",
                    summary: "The Touchpoints upload for one collection (streamed).",
                    tags: ["exports"]
                )
                .response(200, "CSV with exactly the Touchpoints header, one row per A-11 v2 response.", .text, mediaType: "text/csv")
            ),
            rows(
                APIOperation(
                    .get,
                    "/v1/exports/touchpoints.ndjson",
                    id: "touchpointsNDJSON",
                    summary: "The same rows as JSON lines (streamed).",
                    tags: ["exports"]
                )
                .response(200, "One JSON object per line, with the Touchpoints column names.", .text, mediaType: "application/x-ndjson")
            ),
        ]
    }
}
