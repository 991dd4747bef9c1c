import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation
import ReportingCore

/// Reporting tokens, staff users and their roles, in `reporting.access_tokens`, `reporting.users` and
/// `reporting.role_grants`.
///
/// A token reads `crt_<key id>_<secret>`; only the secret's SHA-256 digest is stored, compared in constant
/// time. Every look-up reads the database (one indexed row), so a revoked or expired token or a revoked role
/// stops working on the next request, on every replica. Every token expires (``TokenLifetime``); its last use
/// is recorded at most once a minute. A token minted by a staff member is revoked in the same transaction that
/// takes away the admin role that let them mint it; one minted by a token is revoked with that token.
///
/// A staff member is their issuer and `sub` together: the same `sub` from another issuer is another person.
package struct AccessStore: Sendable {
    /// The prefix of reporting tokens.
    static let tokenPrefix = "crt"

    /// The issuer of users whose grants were recorded without one (before grants named their issuer, or
    /// while no sign-in issuer was configured); ``adoptUnassignedIssuer(_:)`` gives them the sign-in issuer.
    static let unassignedIssuer = ""

    let client: PostgresClient

    package init(client: PostgresClient) {
        self.client = client
    }

    /// A reporting token, without its secret.
    struct Token: Codable, Sendable, Equatable {
        var keyId: String
        var agency: AgencyScope
        var role: AccessRole
        var label: String
        var createdAt: String
        var createdBy: String
        /// When it stops working (RFC 3339).
        var expiresAt: String
        /// When it was last presented, to the minute; `nil` when never.
        var lastUsedAt: String?
        var revokedAt: String?
    }

    /// One user's role in one agency scope.
    struct UserGrant: Codable, Sendable, Equatable {
        /// The sign-in issuer the user's `sub` belongs to (empty: not yet assigned).
        var issuer: String
        var subject: String
        var displayName: String?
        var agency: AgencyScope
        var role: AccessRole
        var grantedAt: String
        var grantedBy: String
    }

    /// What a presented token stands for.
    enum TokenCheck: Sendable, Equatable {
        /// A live token of this principal.
        case valid(ReportingPrincipal)
        /// A token whose secret matches but whose lifetime has ended.
        case expired
        /// Unknown, revoked or wrong.
        case refused
    }

    private static let tokenColumns = "key_id, agency, role, label, created_at, created_by, expires_at, last_used_at, revoked_at"

    /// Mints a token holding `role` in `agency` for `days` days (never beyond the minting token's own expiry);
    /// the plaintext is returned once and never stored.
    func mintToken(
        agency: AgencyScope,
        role: AccessRole,
        label: String,
        days: Int,
        by creator: ReportingPrincipal
    ) async throws -> (
        Token, plaintext: String
    ) {
        let secret = BearerSecret.mint(prefix: Self.tokenPrefix)
        var issuer: String?
        var subject: String?
        var creatorKeyId: String?
        switch creator.kind {
        case .user(let userIssuer, let userSubject): (issuer, subject) = (userIssuer, userSubject)
        case .token(let keyId): creatorKeyId = keyId
        case .administrator: break
        }
        let rows = try await client.query(
            """
            INSERT INTO reporting.access_tokens
                (key_id, agency, role, label, secret_sha256, created_by, creator_issuer, creator_subject, creator_key_id, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                    LEAST(now() + make_interval(days => $10::int),
                          (SELECT expires_at FROM reporting.access_tokens WHERE key_id = $9)))
            RETURNING \(Self.tokenColumns)
            """,
            [secret.keyId, agency.code, role.rawValue, label, secret.digest, creator.actor, issuer, subject, creatorKeyId, days]
        )
        guard let row = rows.first else { throw AccessStoreError("INSERT … RETURNING returned no row") }
        return (try Self.token(row), secret.plaintext)
    }

    /// Checks a presented token: live (not revoked, not expired) and its secret right. A live token's last use
    /// is recorded when the recorded one is a minute old or more.
    func check(_ presented: BearerSecret) async throws -> TokenCheck {
        let rows = try await client.query(
            """
            SELECT agency, role, secret_sha256, expires_at <= now() AS expired,
                   last_used_at IS NULL OR last_used_at <= now() - make_interval(secs => $2::int) AS stale
            FROM reporting.access_tokens WHERE key_id = $1 AND revoked_at IS NULL
            """,
            [presented.keyId, TokenLifetime.lastUseResolutionSeconds]
        )
        guard let row = rows.first, presented.matches(storedDigest: try row.require("secret_sha256")) else { return .refused }
        guard !(try row.require("expired", as: Bool.self)) else { return .expired }
        if try row.require("stale", as: Bool.self) {
            // The condition again, so replicas racing on one token write once.
            _ = try await client.query(
                """
                UPDATE reporting.access_tokens SET last_used_at = now()
                WHERE key_id = $1 AND (last_used_at IS NULL OR last_used_at <= now() - make_interval(secs => $2::int))
                """,
                [presented.keyId, TokenLifetime.lastUseResolutionSeconds]
            )
        }
        let grant = RoleGrant(agency: AgencyScope(code: try row.require("agency")), role: try Self.role(row))
        return .valid(ReportingPrincipal(kind: .token(keyId: presented.keyId), grants: [grant]))
    }

    /// The tokens held in `agencies` (revoked and expired ones included, newest first).
    func tokens(in agencies: AgencySet) async throws -> [Token] {
        let rows = try await client.query(
            """
            SELECT \(Self.tokenColumns) FROM reporting.access_tokens
            WHERE $1::text[] IS NULL OR agency = ANY($1)
            ORDER BY created_at DESC, key_id
            """,
            [agencies.parameter]
        )
        return try rows.rows.map(Self.token)
    }

    /// Revokes the token `keyId` if it is held in `agencies` (idempotent: the first revocation time stays), and
    /// in the same statement every live token it minted, and those they minted.
    /// - Returns: The token, or `nil` when no token with that id is held in `agencies`.
    func revokeToken(keyId: String, in agencies: AgencySet) async throws -> Token? {
        let rows = try await client.query(
            """
            WITH RECURSIVE target AS (
                SELECT key_id FROM reporting.access_tokens WHERE key_id = $1 AND ($2::text[] IS NULL OR agency = ANY($2))
            ), minted (key_id) AS (
                SELECT t.key_id FROM reporting.access_tokens t JOIN target ON t.creator_key_id = target.key_id
                UNION
                SELECT t.key_id FROM reporting.access_tokens t JOIN minted m ON t.creator_key_id = m.key_id
            ), descendants AS (
                UPDATE reporting.access_tokens SET revoked_at = now()
                WHERE key_id IN (SELECT key_id FROM minted) AND revoked_at IS NULL
            )
            UPDATE reporting.access_tokens SET revoked_at = COALESCE(revoked_at, now())
            WHERE key_id IN (SELECT key_id FROM target)
            RETURNING \(Self.tokenColumns)
            """,
            [keyId, agencies.parameter]
        )
        return try rows.first.map(Self.token)
    }

    /// Grants `role` in `agency` to the user (`issuer`, `subject`) (creating the user; replacing a role they held
    /// there). When that takes an admin role away, the tokens the user minted where they are no longer admin are
    /// revoked in the same transaction.
    /// - Returns: The grant and the key ids of the tokens revoked.
    func grant(
        issuer: String,
        subject: String,
        displayName: String?,
        agency: AgencyScope,
        role: AccessRole,
        grantedBy: String
    ) async throws -> (
        UserGrant, revokedTokens: [String]
    ) {
        try await client.withTransaction { connection in
            _ = try await connection.query(
                """
                INSERT INTO reporting.users (issuer, subject, display_name) VALUES ($1, $2, $3)
                ON CONFLICT (issuer, subject) DO UPDATE SET display_name = COALESCE(EXCLUDED.display_name, reporting.users.display_name)
                """,
                [issuer, subject, displayName]
            )
            let rows = try await connection.query(
                """
                INSERT INTO reporting.role_grants (issuer, subject, agency, role, granted_by) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (issuer, subject, agency) DO UPDATE SET role = EXCLUDED.role, granted_at = now(), granted_by = EXCLUDED.granted_by
                RETURNING issuer, subject, agency, role, granted_at, granted_by,
                          (SELECT display_name FROM reporting.users WHERE issuer = $1 AND subject = $2) AS display_name
                """,
                [issuer, subject, agency.code, role.rawValue, grantedBy]
            )
            guard let row = rows.first else { throw AccessStoreError("INSERT … RETURNING returned no row") }
            return (try Self.userGrant(row), try await Self.revokeTokensNoLongerAdministered(issuer: issuer, subject: subject, on: connection))
        }
    }

    /// Revokes the user's role in `agency`, and in the same transaction the tokens they minted where they are no
    /// longer admin.
    /// - Returns: The revoked grant and the key ids of the tokens revoked, or `nil` when the user held no role there.
    func revokeGrant(issuer: String, subject: String, agency: AgencyScope) async throws -> (UserGrant, revokedTokens: [String])? {
        try await client.withTransaction { connection in
            let rows = try await connection.query(
                """
                DELETE FROM reporting.role_grants g USING reporting.users u
                WHERE g.issuer = $1 AND g.subject = $2 AND g.agency = $3 AND u.issuer = g.issuer AND u.subject = g.subject
                RETURNING g.issuer, g.subject, g.agency, g.role, g.granted_at, g.granted_by, u.display_name
                """,
                [issuer, subject, agency.code]
            )
            guard let row = rows.first else { return nil }
            return (try Self.userGrant(row), try await Self.revokeTokensNoLongerAdministered(issuer: issuer, subject: subject, on: connection))
        }
    }

    /// Revokes every live token the user minted (and the tokens those minted) in an agency scope they no longer
    /// hold the admin role for: `*` needs the cross-agency admin role, an agency its own or the cross-agency one.
    private static func revokeTokensNoLongerAdministered(
        issuer: String,
        subject: String,
        on connection: PostgresConnection
    ) async throws
        -> [String]
    {
        let rows = try await connection.query(
            """
            WITH RECURSIVE orphaned (key_id) AS (
                SELECT t.key_id FROM reporting.access_tokens t
                WHERE t.creator_issuer = $1 AND t.creator_subject = $2 AND t.revoked_at IS NULL
                  AND NOT EXISTS (
                      SELECT FROM reporting.role_grants g
                      WHERE g.issuer = $1 AND g.subject = $2 AND g.role = 'admin' AND (g.agency = '*' OR g.agency = t.agency)
                  )
                UNION
                SELECT t.key_id FROM reporting.access_tokens t JOIN orphaned o ON t.creator_key_id = o.key_id
            )
            UPDATE reporting.access_tokens SET revoked_at = now()
            WHERE key_id IN (SELECT key_id FROM orphaned) AND revoked_at IS NULL
            RETURNING key_id
            """,
            [issuer, subject]
        )
        return try rows.rows.map { try $0.require("key_id", as: String.self) }.sorted()
    }

    /// The users' roles in `agencies` (the cross-agency `*` grants only when `agencies` is every agency).
    func grants(in agencies: AgencySet) async throws -> [UserGrant] {
        let rows = try await client.query(
            """
            SELECT g.issuer, g.subject, g.agency, g.role, g.granted_at, g.granted_by, u.display_name
            FROM reporting.role_grants g JOIN reporting.users u USING (issuer, subject)
            WHERE $1::text[] IS NULL OR g.agency = ANY($1)
            ORDER BY g.agency, g.issuer, g.subject
            """,
            [agencies.parameter]
        )
        return try rows.rows.map(Self.userGrant)
    }

    /// The signed-in user (`issuer`, `subject`) with the roles they hold now (none when they are unknown).
    func principal(forUser subject: String, issuer: String) async throws -> ReportingPrincipal {
        let rows = try await client.query("SELECT agency, role FROM reporting.role_grants WHERE issuer = $1 AND subject = $2", [issuer, subject])
        let grants = try rows.rows.map { RoleGrant(agency: AgencyScope(code: try $0.require("agency")), role: try Self.role($0)) }
        return ReportingPrincipal(kind: .user(issuer: issuer, subject: subject), grants: grants)
    }

    /// Gives the users recorded without an issuer (and the tokens they minted) the sign-in issuer `issuer`, at
    /// start-up: until grants named their issuer there was only ever one. A user already known at `issuer`
    /// keeps their grants there and the unassigned copy stays unused.
    /// - Returns: The number of users adopted.
    package func adoptUnassignedIssuer(_ issuer: String) async throws -> Int {
        try await client.withTransaction { connection in
            _ = try await connection.query(
                """
                UPDATE reporting.access_tokens t SET creator_issuer = $1
                WHERE t.creator_issuer = $2
                  AND NOT EXISTS (SELECT FROM reporting.users u WHERE u.issuer = $1 AND u.subject = t.creator_subject)
                """,
                [issuer, Self.unassignedIssuer]
            )
            // The grants follow their user (ON UPDATE CASCADE).
            let rows = try await connection.query(
                """
                UPDATE reporting.users u SET issuer = $1
                WHERE u.issuer = $2 AND NOT EXISTS (SELECT FROM reporting.users k WHERE k.issuer = $1 AND k.subject = u.subject)
                RETURNING subject
                """,
                [issuer, Self.unassignedIssuer]
            )
            return rows.rows.count
        }
    }

    private static func role(_ row: PostgresRow) throws -> AccessRole {
        let text: String = try row.require("role")
        guard let role = AccessRole(rawValue: text) else {
            throw AccessStoreError("column role: '\(text)' is not a role")
        }
        return role
    }

    private static func token(_ row: PostgresRow) throws -> Token {
        Token(
            keyId: try row.require("key_id"),
            agency: AgencyScope(code: try row.require("agency")),
            role: try role(row),
            label: try row.require("label"),
            createdAt: Timestamp.format(try row.require("created_at", as: Date.self)),
            createdBy: try row.require("created_by"),
            expiresAt: Timestamp.format(try row.require("expires_at", as: Date.self)),
            lastUsedAt: try row.decode("last_used_at", as: Date.self).map { Timestamp.format($0) },
            revokedAt: try row.decode("revoked_at", as: Date.self).map { Timestamp.format($0) }
        )
    }

    private static func userGrant(_ row: PostgresRow) throws -> UserGrant {
        UserGrant(
            issuer: try row.require("issuer"),
            subject: try row.require("subject"),
            displayName: try row.decode("display_name"),
            agency: AgencyScope(code: try row.require("agency")),
            role: try role(row),
            grantedAt: Timestamp.format(try row.require("granted_at", as: Date.self)),
            grantedBy: try row.require("granted_by")
        )
    }
}
