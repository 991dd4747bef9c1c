import CivicContracts
import CivicModels

/// survey-intake's HTTP API as published in `GET /openapi.json` and `contracts/openapi/survey-intake.json`.
///
/// Each operation names the Swift types of its parameters and bodies; the schemas are generated from them.
/// To add or change an endpoint, edit the list below in the same commit as the route, then run
/// `ops/contracts` to rewrite `contracts/` (the drift test in CivicContractsTests fails until you do).
/// Responses whose Swift type does not exist yet are listed without a body schema.
package enum IntakeAPI {
    /// The error body every endpoint of every service returns on failure (``APIError``).
    typealias ErrorBody = APIErrorBody

    /// The OpenAPI document.
    package static var openAPI: OpenAPIDocument {
        OpenAPIDocument(
            title: "CivicPulse survey-intake",
            version: "1.0.0",
            description: "Accepts A-11 survey responses and operational events over HTTP (the same contracts as "
                + "the agency's own topic cx.feedback.submitted.v1.{agency}, where valid items are published), "
                + "administers agencies and their API keys, and publishes the event contracts.",
            operations: responses + admin + contracts + operations,
            securitySchemes: [
                .init("agencyKey", "An agency's API key (POST /v1/admin/agencies/{code}/keys issues them)."),
                .init("adminToken", "The operators' administration token."),
            ]
        )
    }

    static var responses: [APIOperation] {
        [
            APIOperation(.post, "/v1/responses", id: "submitResponses", summary: "Submit one response or a batch.", tags: ["responses"])
                .body(
                    "One cx.feedback.submitted/1 event, or an array of them.",
                    .oneOf([.event(SchemaVersion.submitted), .array(of: .event(SchemaVersion.submitted))])
                )
                .response(
                    202,
                    "Accepted for processing; one result per item, in order: accepted, duplicate (already received) or rejected "
                        + "with the same code, field and reason as the rejected topic (items for another agency: forbidden_agency).",
                    .type(SubmissionResult.self)
                )
                .submissionRefusals()
                .traceContext(),
            APIOperation(
                .post,
                "/v1/operations",
                id: "submitOperations",
                summary: "Submit one operational event (contact-centre or digital transaction) or a batch.",
                tags: ["operational-events"]
            )
            .body(
                "One cx.operations/1 event, or an array of them.",
                .oneOf([.event(SchemaVersion.operations), .array(of: .event(SchemaVersion.operations))])
            )
            .response(
                202,
                "Accepted for processing (stored in intake.operations, forwarded to cx.operations.v1); one result per item, "
                    + "in order: accepted, duplicate (already received) or rejected with the same code, field and reason as "
                    + "the rejected topic (items for another agency: forbidden_agency).",
                .type(SubmissionResult.self)
            )
            .submissionRefusals()
            .traceContext(),
        ]
    }

    static var admin: [APIOperation] {
        [
            APIOperation(
                .put,
                "/v1/admin/agencies/{code}",
                id: "putAgency",
                summary: "Register or update an agency and its services.",
                tags: ["admin"]
            )
            .path("code", .type(String.self), "The agency code, for example IRS.")
            .body("The agency and its services.", .type(AgencyRegistration.self))
            .response(200, "Registered.")
            .response(400, "The body is invalid.", .type(ErrorBody.self))
            .response(401, "No or wrong administration token.", .type(ErrorBody.self))
            .response(
                409,
                "Another agency is registered under the same code in another case (agency_code_taken): both would share "
                    + "one topic, cx.feedback.submitted.v1.{code in lower case}.",
                .type(ErrorBody.self)
            )
            .response(503, "The registry or the broker is unavailable (creating the agency's topic); register again.", .type(ErrorBody.self))
            .secured(by: "adminToken"),
            APIOperation(.post, "/v1/admin/agencies/{code}/keys", id: "createAgencyKey", summary: "Issue an API key for an agency.", tags: ["admin"])
                .path("code", .type(String.self), "The agency code.")
                .response(201, "The new key (shown once; only its SHA-256 digest is stored).", .type(MintedAPIKey.self))
                .response(401, "No or wrong administration token.", .type(ErrorBody.self))
                .response(404, "No such agency.", .type(ErrorBody.self))
                .secured(by: "adminToken"),
            APIOperation(
                .delete,
                "/v1/admin/agencies/{code}/keys/{keyId}",
                id: "revokeAgencyKey",
                summary: "Revoke an agency's API key (idempotent).",
                tags: ["admin"]
            )
            .path("code", .type(String.self), "The agency code.")
            .path("keyId", .type(String.self), "The key's public id (keyId of the minted key).")
            .response(
                200,
                "Revoked: this replica refuses the key at once, others within CIVIC_INTAKE_API_KEY_CACHE_S. "
                    + "Revoking again answers the same, with the first revocation time.",
                .type(RevokedAPIKey.self)
            )
            .response(401, "No or wrong administration token.", .type(ErrorBody.self))
            .response(404, "The agency has no key with this id.", .type(ErrorBody.self))
            .secured(by: "adminToken"),
            APIOperation(
                .get,
                "/v1/admin/agencies/{code}/instruments",
                id: "listInstruments",
                summary: "An agency's survey instruments, with the days left on each PRA clearance.",
                tags: ["admin"]
            )
            .path("code", .type(String.self), "The agency code.")
            .response(200, "The instruments by service and channel.", .type(InstrumentList.self))
            .response(401, "No or wrong administration token.", .type(ErrorBody.self))
            .secured(by: "adminToken"),
            APIOperation(
                .put,
                "/v1/admin/agencies/{code}/instruments/{service}/{channel}",
                id: "putInstrument",
                summary: "Set the survey instrument of a service and channel: responses there must fit its form and options.",
                tags: ["admin"]
            )
            .path("code", .type(String.self), "The agency code.")
            .path("service", .type(String.self), "A registered service of the agency.")
            .path("channel", .type(Channel.self), "The channel.")
            .body("The instrument.", .type(InstrumentDefinition.self))
            .response(200, "Set: this replica applies it at once, others within CIVIC_INTAKE_INSTRUMENT_CACHE_S.", .type(InstrumentDefinition.self))
            .response(400, "The instrument or a path segment is invalid.", .type(ErrorBody.self))
            .response(401, "No or wrong administration token.", .type(ErrorBody.self))
            .response(404, "The agency has no such service.", .type(ErrorBody.self))
            .secured(by: "adminToken"),
            APIOperation(
                .delete,
                "/v1/admin/agencies/{code}/instruments/{service}/{channel}",
                id: "retireInstrument",
                summary: "Retire the survey instrument of a service and channel.",
                tags: ["admin"]
            )
            .path("code", .type(String.self), "The agency code.")
            .path("service", .type(String.self), "The service.")
            .path("channel", .type(Channel.self), "The channel.")
            .response(204, "Retired: responses there are checked against their form alone.")
            .response(401, "No or wrong administration token.", .type(ErrorBody.self))
            .response(404, "No instrument is set for this service and channel.", .type(ErrorBody.self))
            .secured(by: "adminToken"),
            APIOperation(
                .post,
                "/v1/admin/agencies/{code}/instruments/{service}/{channel}/form-keys",
                id: "createFormKey",
                summary: "Issue the public form key of an instrument's hosted form and embed (it can submit only that instrument).",
                tags: ["admin"]
            )
            .path("code", .type(String.self), "The agency code.")
            .path("service", .type(String.self), "The service.")
            .path("channel", .type(Channel.self), "The channel.")
            .body("The origins whose pages may embed the form.", .type(FormKeyRequest.self))
            .response(
                201,
                "The new form key (only its SHA-256 digest is stored), the hosted page's path and the embed line.",
                .type(MintedFormKey.self)
            )
            .response(400, "An origin is not https://host[:port], or a path segment is invalid.", .type(ErrorBody.self))
            .response(401, "No or wrong administration token.", .type(ErrorBody.self))
            .response(404, "No instrument is set for this service and channel.", .type(ErrorBody.self))
            .secured(by: "adminToken"),
            APIOperation(
                .delete,
                "/v1/admin/agencies/{code}/form-keys/{keyId}",
                id: "revokeFormKey",
                summary: "Revoke a form key (idempotent): its page, embed and submissions answer 404 at once.",
                tags: ["admin"]
            )
            .path("code", .type(String.self), "The agency code.")
            .path("keyId", .type(String.self), "The form key's public id.")
            .response(204, "Revoked.")
            .response(401, "No or wrong administration token.", .type(ErrorBody.self))
            .response(404, "The agency has no form key with this id.", .type(ErrorBody.self))
            .secured(by: "adminToken"),
            APIOperation(.get, "/v1/spam", id: "listSpam", summary: "Responses flagged as spam, for review.", tags: ["admin"])
                .query("agency", .type(String.self), "The agency code.", required: true)
                .query("limit", .type(Int.self), "At most this many, newest first.")
                .response(200, "The flagged responses with their reasons (never the submitter).", .type(SpamReviewBody.self))
                .response(401, "No or wrong administration token.", .type(ErrorBody.self))
                .secured(by: "adminToken"),
        ]
    }

    static var contracts: [APIOperation] {
        [
            APIOperation(.get, "/v1/contracts", id: "listContracts", summary: "Where each contract document is served.", tags: ["contracts"])
                .response(200, "The index.", .type(ContractIndex.self)),
            APIOperation(
                .get,
                "/v1/contracts/asyncapi.json",
                id: "getAsyncAPI",
                summary: "The AsyncAPI 3.0 document for all topics.",
                tags: ["contracts"]
            )
            .response(200, "The document.", .anyObject),
            APIOperation(.get, "/v1/contracts/schemas/{name}", id: "getEventSchema", summary: "An event's JSON Schema.", tags: ["contracts"])
                .path("name", .oneOf(values: EventCatalog.all.map(\.fileName)), "The schema file name.")
                .response(200, "The JSON Schema (draft 2020-12).", .anyObject, mediaType: "application/schema+json")
                .response(404, "No schema of that name.", .type(ErrorBody.self)),
            APIOperation(.get, "/openapi.json", id: "getOpenAPI", summary: "This document.", tags: ["contracts"])
                .response(200, "The OpenAPI 3.1 document.", .anyObject),
        ]
    }

    static var operations: [APIOperation] { OperationsAPI.operations }
}

extension SubmissionResult.Status: SchemaEnumerable {}

extension APIOperation {
    /// The answers both submission routes share besides 202 (400, 401, 413, 429, 503) and their API-key
    /// security.
    fileprivate func submissionRefusals() -> APIOperation {
        response(
            400,
            "The body is not JSON, or has more items than CIVIC_INTAKE_HTTP_MAX_BATCH (too_many_items) or than the key's "
                + "burst, CIVIC_INTAKE_HTTP_BURST (batch_exceeds_burst).",
            .type(APIErrorBody.self)
        )
        .response(401, "No or unknown API key.", .type(APIErrorBody.self))
        .response(413, "The body is larger than CIVIC_INTAKE_HTTP_MAX_BODY_BYTES.", .type(APIErrorBody.self))
        .response(
            429,
            "Too many items for this key (each item costs one token); Retry-After says when this many fit.",
            .type(APIErrorBody.self)
        )
        .response(503, "The broker is unavailable; nothing was accepted; retry later.", .type(APIErrorBody.self))
        .secured(by: "agencyKey")
    }
}

extension APIOperation {
    /// The W3C trace-context headers a submission may carry (docs/operations.md, "Traces").
    fileprivate func traceContext() -> APIOperation {
        header(
            "traceparent",
            .type(String.self),
            "The agency's W3C trace context (00-<trace id>-<parent id>-<flags>): every accepted item's trace continues it. "
                + "Absent or not valid: each accepted item starts a trace of its own."
        )
        .header("tracestate", .type(String.self), "W3C vendor trace state, carried with a valid traceparent.")
    }
}
