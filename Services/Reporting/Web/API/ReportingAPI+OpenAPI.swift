import CivicContracts
import CivicModels
import ReportingCore

/// reporting's HTTP API as published in `GET /openapi.json` and `contracts/openapi/reporting.json`.
///
/// Each operation names the Swift types of its parameters and bodies; the schemas are generated from them.
/// To add or change an endpoint (exports, dashboard, more filters), edit the list below in the same commit as
/// the route, then run `ops/contracts` to rewrite `contracts/` (the drift test in CivicContractsTests fails
/// until you do).
package enum ReportingAPI {
    /// The error body every endpoint of every service returns on failure (``APIError``).
    typealias ErrorBody = APIErrorBody

    /// What each protected operation needs, by operation id: the one table the routes' checks, the OpenAPI
    /// security requirements and the access test (ReportingAccessTests) are read against.
    static let access: [String: RouteAccess] = [
        "listReports": .role(.viewer, agency: .optionalFilter),
        "journeyReport": .role(.viewer, agency: .required),
        "relationshipReport": .role(.viewer, agency: .crossAgencyWhenAbsent),
        "themesReport": .role(.viewer, agency: .optionalFilter),
        "driversReport": .role(.viewer, agency: .optionalFilter),
        "collections": .role(.analyst, agency: .required),
        "collectionsCSV": .role(.analyst, agency: .required),
        "legacyCSV": .role(.analyst, agency: .required),
        "touchpointsCSV": .role(.analyst, agency: .required),
        "quarterlySummary": .role(.analyst, agency: .required),
        "quarterlyPackage": .role(.analyst, agency: .required),
        "touchpointsNDJSON": .role(.analyst, agency: .required),
        "dashboard": .role(.viewer, agency: .optionalFilter),
        "listCollections": .role(.analyst, agency: .required),
        "collectionTransition": .role(.analyst, agency: .required),
        "collectionDeadlines": .role(.analyst, agency: .required),
        "followUps": .role(.analyst, agency: .required),
        "spamReview": .role(.admin, agency: .required),
        "spamDecision": .role(.admin, agency: .required),
        "createToken": .administration,
        "listTokens": .administration,
        "revokeToken": .administration,
        "grantRole": .administration,
        "revokeRole": .administration,
        "listRoles": .administration,
        "readAudit": .administration,
    ]

    /// What an operation needs.
    enum RouteAccess: Sendable, Equatable {
        /// The role in the agency of the `agency` parameter.
        case role(AccessRole, agency: AgencyParameter)
        /// The admin role in the agency concerned, or the operators' administration token.
        case administration

        /// How the `agency` parameter selects the agency a role is needed in.
        enum AgencyParameter: Sendable, Equatable {
            /// `agency` is required.
            case required
            /// Without `agency`, only the caller's agencies are read.
            case optionalFilter
            /// Without `agency`, the operation reads across agencies and needs the cross-agency (`*`) role.
            case crossAgencyWhenAbsent
        }

        var summary: String {
            switch self {
            case .role(let role, .required): "Needs the \(role.rawValue) role in `agency`."
            case .role(let role, .optionalFilter): "Needs the \(role.rawValue) role; shows only the caller's agencies."
            case .role(let role, .crossAgencyWhenAbsent):
                "Needs the \(role.rawValue) role in `agency`, or the cross-agency (*) \(role.rawValue) role without it."
            case .administration: "Needs the admin role in the agency concerned (* for every agency), or the administration token."
            }
        }
    }

    /// The OpenAPI document.
    package static var openAPI: OpenAPIDocument {
        OpenAPIDocument(
            title: "CivicPulse reporting",
            version: "1.0.0",
            description: "Quarterly A-11 CX figures per agency (optionally per service and channel), with small cells "
                + "suppressed (CIVIC_REPORTING_MIN_CELL). Every data and administration route needs a credential: a "
                + "reporting token (`Authorization: Bearer crt_…`, civicctl access token) or a staff session cookie "
                + "(`civic_session`, from GET /signin); roles are per agency (viewer, analyst, admin).",
            operations: (reports + review + collections + administration).map(secured) + signIn + [
                APIOperation(.get, "/openapi.json", id: "getOpenAPI", summary: "This document.", tags: ["contracts"])
                    .response(200, "The OpenAPI 3.1 document.", .anyObject)
            ] + OperationsAPI.operations,
            securitySchemes: [
                .init(
                    "reportingToken",
                    "A reporting token `crt_<key id>_<secret>` (POST /v1/admin/tokens or `civicctl access token`), or "
                        + "CIVIC_REPORTING_ADMIN_TOKEN for the administration routes. A signed-in staff session cookie "
                        + "works in its place."
                )
            ]
        )
    }

    /// The operation with its access requirement: the security scheme, the role in its summary, 401 and 403.
    private static func secured(_ operation: APIOperation) -> APIOperation {
        guard let access = access[operation.id] else { return operation }
        var operation = operation
        operation.summary += " " + access.summary
        return operation.secured(by: "reportingToken")
            .response(401, "No credential, or one that is malformed, unknown, revoked or wrong.", .type(ErrorBody.self))
            .response(403, "The credential does not hold the role this needs in that agency.", .type(ErrorBody.self))
    }

    /// Staff sign-in (OpenID Connect, authorization code with PKCE); present when
    /// `CIVIC_REPORTING_SIGNIN_ISSUER` is set.
    static var signIn: [APIOperation] {
        [
            APIOperation(.get, "/signin", id: "signIn", summary: "Start a staff sign-in at the configured issuer.", tags: ["sign-in"])
                .query("returnTo", .type(String.self), "A local path to return to after signing in (default /dashboard).")
                .query("login_hint", .type(String.self), "Passed on to the issuer.")
                .response(302, "To the issuer's authorization endpoint, with a sealed pending-sign-in cookie (no session yet).")
                .response(429, "Too many sign-in requests from this address; `Retry-After` says when to retry.", .type(ErrorBody.self))
                .response(503, "The issuer cannot be reached; try again.", .type(ErrorBody.self)),
            APIOperation(.get, "/auth/callback", id: "signInCallback", summary: "The issuer's redirect back.", tags: ["sign-in"])
                .query("code", .type(String.self), "The authorization code.")
                .query("state", .type(String.self), "The state sent with the sign-in.")
                .query("error", .type(String.self), "The issuer's error, when it did not sign the user in.")
                .response(302, "Signed in: a new session cookie (HttpOnly, SameSite=Lax), back to `returnTo`.")
                .response(401, "No sign-in in progress in this browser (or it was used already).", .type(ErrorBody.self))
                .response(403, "Refused: wrong state, nonce, audience, issuer or signature, or the issuer said no.", .type(ErrorBody.self))
                .response(429, "Too many sign-in requests from this address; `Retry-After` says when to retry.", .type(ErrorBody.self))
                .response(503, "The issuer cannot be reached; try again.", .type(ErrorBody.self)),
            APIOperation(.post, "/signout", id: "signOut", summary: "End the staff session.", tags: ["sign-in"])
                .body("The session's CSRF token as form field `csrf`.", .text, mediaType: "application/x-www-form-urlencoded")
                .response(200, "Signed out.", .text, mediaType: "text/html")
                .response(401, "Not signed in.", .type(ErrorBody.self))
                .response(403, "The form's csrf token is missing or wrong.", .type(ErrorBody.self)),
        ]
    }

    static var administration: [APIOperation] {
        let agency = "The agency code, or * for every agency."
        let issuer = "The sign-in issuer the `sub` belongs to (default: the configured sign-in issuer)."
        return [
            APIOperation(.post, "/v1/admin/tokens", id: "createToken", summary: "Mint a reporting token (shown once).", tags: ["access"])
                .body("The token's agency, role, label and optionally its lifetime in days.", .type(AccessRoutes.TokenRequest.self))
                .response(201, "The token and its expiry; store it now, only its digest is kept.", .type(AccessRoutes.MintedToken.self))
                .response(400, "The body is not a token request, or asks for more days than allowed.", .type(ErrorBody.self)),
            APIOperation(
                .get,
                "/v1/admin/tokens",
                id: "listTokens",
                summary: "Reporting tokens (never their secrets), with expiry and last use.",
                tags: ["access"]
            )
            .query("agency", .type(String.self), agency)
            .response(200, "The tokens, newest first.", .type(AccessRoutes.TokenList.self)),
            APIOperation(.delete, "/v1/admin/tokens/{keyId}", id: "revokeToken", summary: "Revoke a reporting token.", tags: ["access"])
                .path("keyId", .type(String.self), "The token's key id (16 hex digits).")
                .response(200, "The revoked token (revoking again keeps the first time).", .type(AccessStore.Token.self))
                .response(404, "No token with that id that the caller administers.", .type(ErrorBody.self)),
            APIOperation(.put, "/v1/admin/users/{subject}/roles/{agency}", id: "grantRole", summary: "Grant a staff member a role.", tags: ["access"])
                .path("subject", .type(String.self), "The user's `sub` at the sign-in issuer.")
                .path("agency", .type(String.self), agency)
                .query("issuer", .type(String.self), issuer)
                .body("The role, and optionally the user's name.", .type(AccessRoutes.GrantRequest.self))
                .response(200, "The role held now (it replaces the one held there before).", .type(AccessStore.UserGrant.self))
                .response(400, "A path value or the body is invalid.", .type(ErrorBody.self)),
            APIOperation(
                .delete,
                "/v1/admin/users/{subject}/roles/{agency}",
                id: "revokeRole",
                summary: "Take a staff member's role away.",
                tags: ["access"]
            )
            .path("subject", .type(String.self), "The user's `sub`.")
            .path("agency", .type(String.self), agency)
            .query("issuer", .type(String.self), issuer)
            .response(200, "The role taken away (and the tokens the user minted where they are no longer admin).", .type(AccessStore.UserGrant.self))
            .response(404, "The user holds no role there.", .type(ErrorBody.self)),
            APIOperation(.get, "/v1/admin/users", id: "listRoles", summary: "Staff members' roles.", tags: ["access"])
                .query("agency", .type(String.self), agency)
                .response(200, "The roles held.", .type(AccessRoutes.GrantList.self)),
            APIOperation(.get, "/v1/admin/audit", id: "readAudit", summary: "The audit trail, newest first.", tags: ["access"])
                .query("agency", .type(String.self), agency)
                .query("limit", .type(Int.self), "At most this many entries, 1-10000 (default 100).")
                .response(200, "Exports, respondent-level reads, sign-ins and access changes.", .type(AccessRoutes.AuditList.self)),
        ]
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
            insightOperation(
                "/v1/reports/themes",
                id: "themesReport",
                summary: "Themes of the comments per agency and quarter (or service, channel, collection), found locally.",
                response: "The rows; rows and themes with fewer comments than the minimum, and their complements, are withheld. "
                    + "Example comments only for the analyst role in the agency (audited).",
                body: .type(ThemesBody.self)
            ),
            insightOperation(
                "/v1/reports/drivers",
                id: "driversReport",
                summary: "Key drivers of trust and satisfaction: dominance analysis (Shapley values of R²) with bootstrap intervals.",
                response: "The rows; an analysis on fewer respondents than `minimumN`, or withheld as a complement, shows no figures.",
                body: .type(DriversBody.self)
            ),
        ] + exports + [
            APIOperation(.get, "/dashboard", id: "dashboard", summary: "The server-rendered dashboard (HTML).", tags: ["dashboard"])
                .query("agency", .type(String.self), "Only this agency code.")
                .query("fiscalYear", .type(Int.self), "The fiscal year (default: the latest with data).")
                .query("quarter", .type(Int.self), "The fiscal quarter, 1-4.")
                .response(200, "The dashboard page.", .text, mediaType: "text/html")
                .response(302, "Not signed in and staff sign-in is configured: to /signin, back here afterwards.")
                .response(400, "A filter is invalid; the page names it.", .text, mediaType: "text/html")
        ]
    }

    /// `GET /v1/reports/themes` and `/drivers`: the filters of `/v1/reports`, with the quarter required.
    private static func insightOperation(_ path: String, id: String, summary: String, response: String, body: APISchema) -> APIOperation {
        APIOperation(.get, path, id: id, summary: summary, tags: ["reports"])
            .query("agency", .type(String.self), "Only this agency code.")
            .query("service", .type(String.self), "Only this service.")
            .query("channel", .type(Channel.self), "Only this channel.")
            .query("fiscalYear", .type(Int.self), "The U.S. federal fiscal year.", required: true)
            .query("quarter", .type(Int.self), "The fiscal quarter, 1-4.", required: true)
            .query("groupBy", .type(String.self), "Comma-separated extra grouping: service, channel.")
            .query("level", .oneOf(values: ["transaction"]), "The measurement level (transaction only).")
            .query("trend", .oneOf(values: ["true", "false"]), "Include each theme's change since the previous quarter (default true).")
            .response(200, response, body)
            .response(400, "A parameter is unknown, repeated, empty, missing or out of range; `field` names it.", .type(ErrorBody.self))
            .response(429, "As many themes and key-driver analyses as allowed are being computed; `Retry-After`.", .type(ErrorBody.self))
    }

    static var review: [APIOperation] {
        [
            APIOperation(.get, "/v1/spam", id: "spamReview", summary: "Responses flagged as spam, newest first (audited).", tags: ["review"])
                .query("agency", .type(String.self), "The agency code.", required: true)
                .query("limit", .type(Int.self), "At most this many, 1-1000 (default 100).")
                .response(200, "The flagged responses with their reasons and redacted comments.", .type(SpamReviewRoutes.SpamReviewBody.self))
                .response(400, "A parameter is missing or invalid; `field` names it.", .type(ErrorBody.self)),
            APIOperation(
                .post,
                "/v1/spam/decisions",
                id: "spamDecision",
                summary: "Mark a response not spam (counted from now on) or spam (withdrawn); aggregates follow at once (audited).",
                tags: ["review"]
            )
            .query("agency", .type(String.self), "The agency code.", required: true)
            .body("The decision.", .type(SpamReviewRoutes.DecisionRequest.self))
            .response(200, "What changed.", .type(SpamTriage.Outcome.self))
            .response(400, "A parameter or the body is invalid; `field` names it.", .type(ErrorBody.self))
            .response(404, "The agency has no such response.", .type(ErrorBody.self)),
        ]
    }

    static var collections: [APIOperation] {
        [
            APIOperation(
                .get,
                "/v1/collections",
                id: "listCollections",
                summary: "The agency's collections in the quarterly cycle.",
                tags: ["collections"]
            )
            .query("agency", .type(String.self), "The agency code.", required: true)
            .query("fiscalYear", .type(Int.self), "The fiscal year.", required: true)
            .query("quarter", .type(Int.self), "The fiscal quarter, 1-4.")
            .response(
                200,
                "Each collection with its volumes, response rate, state, reflection, rating, deadline and history.",
                .type(CollectionRoutes.CollectionsStatusBody.self)
            )
            .response(400, "A parameter is missing or invalid; `field` names it.", .type(ErrorBody.self)),
            APIOperation(
                .post,
                "/v1/collections/transitions",
                id: "collectionTransition",
                summary: "Edit, submit (analyst), or publish, return, mark not reported, reopen (admin) a collection (audited).",
                tags: ["collections"]
            )
            .query("agency", .type(String.self), "The agency code.", required: true)
            .body("The collection and the action.", .type(CollectionRoutes.TransitionRequest.self))
            .response(200, "The collection's new state.", .type(CollectionRoutes.TransitionBody.self))
            .response(400, "A parameter or the body is invalid; `field` names it.", .type(ErrorBody.self))
            .response(404, "The agency has no such collection.", .type(ErrorBody.self))
            .response(409, "The collection's state does not allow the action (`illegal_transition`).", .type(ErrorBody.self)),
            APIOperation(
                .get,
                "/v1/collections/deadlines",
                id: "collectionDeadlines",
                summary: "Collections due and overdue (30 days after their quarter ends).",
                tags: ["collections"]
            )
            .query("agency", .type(String.self), "The agency code.", required: true)
            .query("asOf", .type(String.self), "The day to judge on, YYYY-MM-DD (default: today, UTC).")
            .response(200, "The collections still to submit, due and overdue.", .type(CollectionStore.Deadlines.self))
            .response(400, "A parameter is missing or invalid; `field` names it.", .type(ErrorBody.self)),
            APIOperation(
                .get,
                "/v1/followups",
                id: "followUps",
                summary: "Follow-ups per service: opened, resolved, within target.",
                tags: ["collections"]
            )
            .query("agency", .type(String.self), "The agency code.", required: true)
            .query("fiscalYear", .type(Int.self), "The fiscal year.", required: true)
            .query("quarter", .type(Int.self), "The fiscal quarter, 1-4.", required: true)
            .response(
                200,
                "Per service: opened, acknowledged, resolved, resolved within target, median hours.",
                .type(FollowUpRoutes.FollowUpsBody.self)
            )
            .response(400, "A parameter is missing or invalid; `field` names it.", .type(ErrorBody.self)),
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
                .response(429, "As many Touchpoints exports as allowed are being streamed; `Retry-After`.", .type(ErrorBody.self))
        }
        return [
            collection(
                APIOperation(.get, "/v1/exports/collections", id: "collections", summary: "Collections and their volumes.", tags: ["exports"])
                    .response(
                        200,
                        "Customers, offered and respondents per service and channel, whatever the collection's size (the agency's upload package).",
                        .type(CollectionsBody.self)
                    )
            ),
            collection(
                APIOperation(.get, "/v1/exports/collections.csv", id: "collectionsCSV", summary: "Collections and volumes as CSV.", tags: ["exports"])
                    .response(200, "CSV, one row per collection.", .text, mediaType: "text/csv")
            ),
            APIOperation(
                .get,
                "/v1/exports/summary.html",
                id: "quarterlySummary",
                summary: "The quarter's one-page summary (HTML): headline figures, intervals, changes, collections.",
                tags: ["exports"]
            )
            .query("agency", .type(String.self), "The agency code.", required: true)
            .query("fiscalYear", .type(Int.self), "The fiscal year.", required: true)
            .query("quarter", .type(Int.self), "The fiscal quarter, 1-4.", required: true)
            .response(200, "The summary page.", .text, mediaType: "text/html")
            .response(429, "As many themes and key-driver analyses as allowed are being computed; `Retry-After`.", .type(ErrorBody.self))
            .response(400, "A parameter is missing or invalid; `field` names it.", .type(ErrorBody.self)),
            APIOperation(
                .get,
                "/v1/exports/package.zip",
                id: "quarterlyPackage",
                summary: "The quarter's whole package as one zip: collections, legacy counts, every Touchpoints upload, the summary.",
                tags: ["exports"]
            )
            .query("agency", .type(String.self), "The agency code.", required: true)
            .query("fiscalYear", .type(Int.self), "The fiscal year.", required: true)
            .query("quarter", .type(Int.self), "The fiscal quarter, 1-4.", required: true)
            .response(200, "A zip archive with the files `reporting export` writes, names included.", .text, mediaType: "application/zip")
            .response(400, "A parameter is missing or invalid; `field` names it.", .type(ErrorBody.self))
            .response(413, "The package's files hold more than `CIVIC_REPORTING_PACKAGE_MAX_BYTES`.", .type(ErrorBody.self))
            .response(429, "This agency's package, or as many as allowed, are being built; `Retry-After`.", .type(ErrorBody.self)),
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
