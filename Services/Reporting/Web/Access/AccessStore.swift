import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation
import ReportingCore

/// Reporting tokens, staff users and their roles, in `reporting.access_tokens`, `reporting.users` and
/// `reporting.role_grants`.
///
/// A token reads `crt_<key id>_<secret>`; only the secret's SHA-256 digest is stored, compared in constant
/// time. Every look-up reads the database (one indexed row), so a revoked token or role stops working on the
/// next request, on every replica.
package struct AccessStore: Sendable {
    /// The prefix of reporting tokens.
    static let tokenPrefix = "crt"

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
        var revokedAt: String?
    }

    /// One user's role in one agency scope.
    struct UserGrant: Codable, Sendable, Equatable {
        var subject: String
        var displayName: String?
        var agency: AgencyScope
        var role: AccessRole
        var grantedAt: String
        var grantedBy: String
    }

    /// Mints a token holding `role` in `agency`; the plaintext is returned once and never stored.
    func mintToken(agency: AgencyScope, role: AccessRole, label: String, createdBy: String) async throws -> (Token, plaintext: String) {
        let secret = BearerSecret.mint(prefix: Self.tokenPrefix)
        let rows = try await client.query(
            """
            INSERT INTO reporting.access_tokens (key_id, agency, role, label, secret_sha256, created_by)
            VALUES ($1, $2, $3, $4, $5, $6)
            RETURNING key_id, agency, role, label, created_at, created_by, revoked_at
            """,
            [secret.keyId, agency.code, role.rawValue, label, secret.digest, createdBy]
        )
        guard let row = rows.first else { throw AccessStoreError("INSERT … RETURNING returned no row") }
        return (try Self.token(row), secret.plaintext)
    }

    /// The principal a presented token stands for, or `nil` when it is unknown, revoked or wrong.
    func principal(for presented: BearerSecret) async throws -> ReportingPrincipal? {
        let rows = try await client.query(
            "SELECT agency, role, secret_sha256 FROM reporting.access_tokens WHERE key_id = $1 AND revoked_at IS NULL",
            [presented.keyId]
        )
        guard let row = rows.first, presented.matches(storedDigest: try row.require("secret_sha256")) else { return nil }
        let grant = RoleGrant(agency: AgencyScope(code: try row.require("agency")), role: try Self.role(row))
        return ReportingPrincipal(kind: .token(keyId: presented.keyId), grants: [grant])
    }

    /// The tokens held in `agencies` (revoked ones included, newest first).
    func tokens(in agencies: AgencySet) async throws -> [Token] {
        let rows = try await client.query(
            """
            SELECT key_id, agency, role, label, created_at, created_by, revoked_at FROM reporting.access_tokens
            WHERE $1::text[] IS NULL OR agency = ANY($1)
            ORDER BY created_at DESC, key_id
            """,
            [agencies.parameter]
        )
        return try rows.rows.map(Self.token)
    }

    /// Revokes the token `keyId` if it is held in `agencies` (idempotent: the first revocation time stays).
    /// - Returns: The token, or `nil` when no token with that id is held in `agencies`.
    func revokeToken(keyId: String, in agencies: AgencySet) async throws -> Token? {
        let rows = try await client.query(
            """
            UPDATE reporting.access_tokens SET revoked_at = COALESCE(revoked_at, now())
            WHERE key_id = $1 AND ($2::text[] IS NULL OR agency = ANY($2))
            RETURNING key_id, agency, role, label, created_at, created_by, revoked_at
            """,
            [keyId, agencies.parameter]
        )
        return try rows.first.map(Self.token)
    }

    /// Grants `role` in `agency` to the user `subject` (creating the user; replacing a role they held there).
    func grant(subject: String, displayName: String?, agency: AgencyScope, role: AccessRole, grantedBy: String) async throws -> UserGrant {
        try await client.withTransaction { connection in
            _ = try await connection.query(
                """
                INSERT INTO reporting.users (subject, display_name) VALUES ($1, $2)
                ON CONFLICT (subject) DO UPDATE SET display_name = COALESCE(EXCLUDED.display_name, reporting.users.display_name)
                """,
                [subject, displayName]
            )
            let rows = try await connection.query(
                """
                INSERT INTO reporting.role_grants (subject, agency, role, granted_by) VALUES ($1, $2, $3, $4)
                ON CONFLICT (subject, agency) DO UPDATE SET role = EXCLUDED.role, granted_at = now(), granted_by = EXCLUDED.granted_by
                RETURNING subject, agency, role, granted_at, granted_by,
                          (SELECT display_name FROM reporting.users WHERE subject = $1) AS display_name
                """,
                [subject, agency.code, role.rawValue, grantedBy]
            )
            guard let row = rows.first else { throw AccessStoreError("INSERT … RETURNING returned no row") }
            return try Self.userGrant(row)
        }
    }

    /// Revokes the user's role in `agency`.
    /// - Returns: The revoked grant, or `nil` when the user held no role there.
    func revokeGrant(subject: String, agency: AgencyScope) async throws -> UserGrant? {
        let rows = try await client.query(
            """
            DELETE FROM reporting.role_grants g USING reporting.users u
            WHERE g.subject = $1 AND g.agency = $2 AND u.subject = g.subject
            RETURNING g.subject, g.agency, g.role, g.granted_at, g.granted_by, u.display_name
            """,
            [subject, agency.code]
        )
        return try rows.first.map(Self.userGrant)
    }

    /// The users' roles in `agencies` (the cross-agency `*` grants only when `agencies` is every agency).
    func grants(in agencies: AgencySet) async throws -> [UserGrant] {
        let rows = try await client.query(
            """
            SELECT g.subject, g.agency, g.role, g.granted_at, g.granted_by, u.display_name
            FROM reporting.role_grants g JOIN reporting.users u USING (subject)
            WHERE $1::text[] IS NULL OR g.agency = ANY($1)
            ORDER BY g.agency, g.subject
            """,
            [agencies.parameter]
        )
        return try rows.rows.map(Self.userGrant)
    }

    /// The signed-in user `subject` with the roles they hold now (none when they are unknown).
    func principal(forUser subject: String) async throws -> ReportingPrincipal {
        let rows = try await client.query("SELECT agency, role FROM reporting.role_grants WHERE subject = $1", [subject])
        let grants = try rows.rows.map { RoleGrant(agency: AgencyScope(code: try $0.require("agency")), role: try Self.role($0)) }
        return ReportingPrincipal(kind: .user(subject: subject), grants: grants)
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
            revokedAt: try row.decode("revoked_at", as: Date.self).map { Timestamp.format($0) }
        )
    }

    private static func userGrant(_ row: PostgresRow) throws -> UserGrant {
        UserGrant(
            subject: try row.require("subject"),
            displayName: try row.decode("display_name"),
            agency: AgencyScope(code: try row.require("agency")),
            role: try role(row),
            grantedAt: Timestamp.format(try row.require("granted_at", as: Date.self)),
            grantedBy: try row.require("granted_by")
        )
    }
}
