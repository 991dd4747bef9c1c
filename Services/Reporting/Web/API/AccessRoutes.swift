import CivicModels
import CivicRuntime
import Foundation
import Hummingbird
import ReportingCore

/// Access administration, each route needing the admin role in the agency concerned (or the operators'
/// `CIVIC_REPORTING_ADMIN_TOKEN`); `*` stands for every agency and needs the cross-agency admin role:
///
/// - `POST /v1/admin/tokens` `{"agency", "role", "label", "days"?}` mints a reporting token, shown once (201),
///   living `days` days (default and maximum: ``TokenLifetime``)
/// - `GET /v1/admin/tokens?agency=X` lists tokens (never their secrets), with their expiry and last use
/// - `DELETE /v1/admin/tokens/{keyId}` revokes one, and the tokens it minted (idempotent; 404 for a token the
///   caller does not administer)
/// - `PUT /v1/admin/users/{subject}/roles/{agency}?issuer=I` `{"role", "name"?}` grants a staff member (the
///   `sub` at issuer `I`, by default the configured sign-in issuer) a role
/// - `DELETE /v1/admin/users/{subject}/roles/{agency}?issuer=I` takes it away; taking an admin role away
///   revokes the tokens the user minted where they are no longer admin, in the same transaction
/// - `GET /v1/admin/users?agency=X` lists the roles held
/// - `GET /v1/admin/audit?agency=X&limit=N` reads the audit trail, newest first
///
/// Every change is recorded in the audit trail. Errors have the one error body (``APIError``).
package struct AccessRoutes: RouteGroup {
    package typealias Context = ReportingRequestContext

    let store: AccessStore
    let audit: AuditTrail
    let lifetime: TokenLifetime
    /// The issuer a grant names when its request names none: the configured sign-in issuer, else
    /// ``AccessStore/unassignedIssuer`` (adopted by the sign-in issuer once one is configured).
    let defaultIssuer: String

    /// Routes minting tokens of `lifetime` and granting roles to users of `signInIssuer` unless told otherwise.
    package init(store: AccessStore, audit: AuditTrail, lifetime: TokenLifetime = TokenLifetime(), signInIssuer: String? = nil) {
        self.store = store
        self.audit = audit
        self.lifetime = lifetime
        defaultIssuer = signInIssuer ?? AccessStore.unassignedIssuer
    }

    /// `POST /v1/admin/tokens`'s body.
    struct TokenRequest: Codable, Sendable {
        var agency: AgencyScope
        var role: AccessRole
        var label: String
        /// Days the token lives; default and maximum: ``TokenLifetime``.
        var days: Int?
    }

    /// A minted token: `token` is shown only in this answer.
    struct MintedToken: Codable, Sendable {
        var token: String
        var keyId: String
        var agency: AgencyScope
        var role: AccessRole
        var label: String
        /// When it stops working (RFC 3339).
        var expiresAt: String
    }

    /// `PUT /v1/admin/users/{subject}/roles/{agency}`'s body.
    struct GrantRequest: Codable, Sendable {
        var role: AccessRole
        var name: String?
    }

    /// `GET /v1/admin/tokens`'s body.
    struct TokenList: Codable, Sendable {
        var tokens: [AccessStore.Token]
    }

    /// `GET /v1/admin/users`'s body.
    struct GrantList: Codable, Sendable {
        var grants: [AccessStore.UserGrant]
    }

    /// `GET /v1/admin/audit`'s body.
    struct AuditList: Codable, Sendable {
        var entries: [AuditTrail.Entry]
    }

    package func register(on router: some RouterMethods<ReportingRequestContext>) {
        router.post("v1/admin/tokens") { request, context -> Response in
            let principal = try context.requirePrincipal()
            let body = try await request.decodeJSON(TokenRequest.self)
            try Self.validate(body.agency)
            let label = body.label.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...200).contains(label.count), !label.containsControlCharacters else {
                throw APIError(.badRequest, code: .invalidBody, reason: "label: 1 to 200 characters without control characters", field: "label")
            }
            let days = body.days ?? lifetime.defaultDays
            guard (1...lifetime.maximumDays).contains(days) else {
                throw APIError(.badRequest, code: .invalidBody, reason: "days: a whole number in 1...\(lifetime.maximumDays)", field: "days")
            }
            try Self.requireAdministrator(principal, of: body.agency)
            let (token, plaintext) = try await store.mintToken(agency: body.agency, role: body.role, label: label, days: days, by: principal)
            try await audit.record(
                .init(
                    actor: principal.actor,
                    action: .tokenMinted,
                    agency: body.agency.code,
                    target: "token:\(token.keyId)",
                    filter: ["role": body.role.rawValue, "label": label, "expiresAt": token.expiresAt]
                )
            )
            return try Response.json(
                MintedToken(
                    token: plaintext,
                    keyId: token.keyId,
                    agency: token.agency,
                    role: token.role,
                    label: token.label,
                    expiresAt: token.expiresAt
                ),
                status: .created
            )
        }
        router.get("v1/admin/tokens") { request, context -> Response in
            let agencies = try Self.administeredFilter(request, try context.requirePrincipal())
            return try Response.json(TokenList(tokens: try await store.tokens(in: agencies)))
        }
        router.delete("v1/admin/tokens/:keyId") { _, context -> Response in
            let principal = try context.requirePrincipal()
            let keyId = context.parameters.get("keyId") ?? ""
            let unknown = APIError(.notFound, code: .notFound, reason: "keyId: \"\(keyId)\" is not a reporting token you administer")
            guard BearerSecret.isKeyId(keyId) else { throw unknown }
            guard let token = try await store.revokeToken(keyId: keyId, in: principal.administeredAgencies) else { throw unknown }
            try await audit.record(
                .init(actor: principal.actor, action: .tokenRevoked, agency: token.agency.code, target: "token:\(keyId)", filter: [:])
            )
            return try Response.json(token)
        }
        router.put("v1/admin/users/:subject/roles/:agency") { request, context -> Response in
            let principal = try context.requirePrincipal()
            let (subject, agency) = try Self.subjectAndAgency(context)
            let issuer = try issuer(request)
            let body = try await request.decodeJSON(GrantRequest.self)
            if let name = body.name,
                !(0...200).contains(name.count) || name.containsControlCharacters
            {
                throw APIError(.badRequest, code: .invalidBody, reason: "name: at most 200 characters without control characters", field: "name")
            }
            try Self.requireAdministrator(principal, of: agency)
            let (grant, revoked) = try await store.grant(
                issuer: issuer,
                subject: subject,
                displayName: body.name,
                agency: agency,
                role: body.role,
                grantedBy: principal.actor
            )
            try await audit.record(
                .init(
                    actor: principal.actor,
                    action: .roleGranted,
                    agency: agency.code,
                    target: "user:\(subject)",
                    filter: Self.roleChange(role: body.role, issuer: issuer, revokedTokens: revoked)
                )
            )
            return try Response.json(grant)
        }
        router.delete("v1/admin/users/:subject/roles/:agency") { request, context -> Response in
            let principal = try context.requirePrincipal()
            let (subject, agency) = try Self.subjectAndAgency(context)
            let issuer = try issuer(request)
            try Self.requireAdministrator(principal, of: agency)
            guard let (grant, revoked) = try await store.revokeGrant(issuer: issuer, subject: subject, agency: agency) else {
                throw APIError.notFound("user \"\(subject)\" holds no role for \"\(agency.code)\"")
            }
            try await audit.record(
                .init(
                    actor: principal.actor,
                    action: .roleRevoked,
                    agency: agency.code,
                    target: "user:\(subject)",
                    filter: Self.roleChange(role: grant.role, issuer: issuer, revokedTokens: revoked)
                )
            )
            return try Response.json(grant)
        }
        router.get("v1/admin/users") { request, context -> Response in
            let agencies = try Self.administeredFilter(request, try context.requirePrincipal())
            return try Response.json(GrantList(grants: try await store.grants(in: agencies)))
        }
        router.get("v1/admin/audit") { request, context -> Response in
            let principal = try context.requirePrincipal()
            let parameters = try QueryParameters(request, options: .init(accepted: ["agency", "limit"]))
            let agencies = try Self.administeredFilter(try parameters.text("agency"), principal)
            let limit = try parameters.integer("limit", in: 1...10_000) ?? 100
            return try Response.json(AuditList(entries: try await audit.entries(in: agencies, limit: limit)))
        }
    }

    /// The issuer a grant route names (`?issuer=`), by default ``defaultIssuer``.
    private func issuer(_ request: Request) throws(APIError) -> String {
        let parameters = try QueryParameters(request, options: .init(accepted: ["issuer"]))
        guard let issuer = try parameters.text("issuer") else { return defaultIssuer }
        guard issuer.utf8.count <= 255, issuer.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7f }) else {
            throw .invalidParameter("issuer", "issuer: the sign-in issuer's identifier, 1 to 255 printable ASCII characters")
        }
        return issuer
    }

    /// A role change's audit details: the role, the issuer, and the tokens revoked with it, if any.
    private static func roleChange(role: AccessRole, issuer: String, revokedTokens: [String]) -> [String: String] {
        var details = ["role": role.rawValue, "issuer": issuer]
        if !revokedTokens.isEmpty { details["revokedTokens"] = revokedTokens.joined(separator: ",") }
        return details
    }

    /// The agencies a listing covers: `?agency=X` (the caller must administer it), else every agency the caller administers.
    private static func administeredFilter(_ request: Request, _ principal: ReportingPrincipal) throws(APIError) -> AgencySet {
        let parameters = try QueryParameters(request, options: .init(accepted: ["agency"]))
        return try administeredFilter(try parameters.text("agency"), principal)
    }

    private static func administeredFilter(_ agency: String?, _ principal: ReportingPrincipal) throws(APIError) -> AgencySet {
        if let agency {
            let scope = AgencyScope(code: agency)
            try validate(scope)
            try requireAdministrator(principal, of: scope)
            return scope == .allAgencies ? .all : .only([agency])
        }
        let administered = principal.administeredAgencies
        guard administered != .only([]) else {
            throw .forbidden("this needs the admin role in at least one agency, which \(principal.actor) does not hold")
        }
        return administered
    }

    private static func requireAdministrator(_ principal: ReportingPrincipal, of scope: AgencyScope) throws(APIError) {
        guard principal.administers(scope) else {
            let what = scope == .allAgencies ? "the cross-agency (*) admin role" : "the admin role for agency \"\(scope.code)\""
            throw .forbidden("this needs \(what), which \(principal.actor) does not hold")
        }
    }

    private static func validate(_ scope: AgencyScope) throws(APIError) {
        guard case .agency(let code) = scope else { return }
        guard (1...100).contains(code.count),
            code.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") })
        else {
            throw APIError(
                .badRequest,
                code: .invalidParameter,
                reason: "agency: 1 to 100 letters, digits, '-' or '_', or * for every agency",
                field: "agency"
            )
        }
    }

    private static func subjectAndAgency(_ context: ReportingRequestContext) throws(APIError) -> (String, AgencyScope) {
        let subject = context.parameters.get("subject")?.removingPercentEncoding ?? ""
        guard (1...255).contains(subject.utf8.count), subject.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7f }) else {
            throw APIError(
                .badRequest,
                code: .invalidParameter,
                reason: "subject: the issuer's sub, 1 to 255 printable ASCII characters",
                field: "subject"
            )
        }
        let agency = AgencyScope(code: context.parameters.get("agency")?.removingPercentEncoding ?? "")
        try validate(agency)
        return (subject, agency)
    }

}
