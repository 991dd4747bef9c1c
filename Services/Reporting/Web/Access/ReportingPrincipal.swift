import CivicPostgres
import CivicRuntime
import ReportingCore

/// Who is asking: a signed-in staff member, an agency system with a reporting token, or the operators'
/// administration token. Resolved once per request (``ReportingAuthenticator``); every route asks it what
/// the caller may see.
package struct ReportingPrincipal: Sendable, Equatable {
    /// What kind of credential the caller presented.
    enum Kind: Sendable, Equatable {
        /// A staff member signed in through OpenID Connect; `subject` is the `sub` at `issuer`.
        case user(issuer: String, subject: String)
        /// An agency system holding the reporting token `keyId`.
        case token(keyId: String)
        /// The operators' `CIVIC_REPORTING_ADMIN_TOKEN`: manages every agency's access and reads the audit
        /// trail, but holds no role that shows data (mint a token or grant a role for that).
        case administrator
    }

    /// The credential's kind.
    var kind: Kind
    /// The roles held, per agency scope.
    var grants: [RoleGrant]

    /// Creates a principal.
    init(kind: Kind, grants: [RoleGrant]) {
        self.kind = kind
        self.grants = grants
    }

    /// How the audit trail names the caller: `user:<sub>`, `token:<key id>` or `administrator`.
    var actor: String {
        switch kind {
        case .user(_, let subject): "user:\(subject)"
        case .token(let keyId): "token:\(keyId)"
        case .administrator: "administrator"
        }
    }

    /// The agencies in which the caller holds `role` or a role above it.
    func agencies(withAtLeast role: AccessRole) -> AgencySet {
        var codes: Set<String> = []
        for grant in grants where grant.role >= role {
            switch grant.agency {
            case .allAgencies: return .all
            case .agency(let code): codes.insert(code)
            }
        }
        return .only(codes)
    }

    /// Whether the caller holds `role` (or above) in `agency`.
    func holds(_ role: AccessRole, in agency: String) -> Bool {
        agencies(withAtLeast: role).contains(agency)
    }

    /// Whether the caller may manage access in `scope` (the administration token, or the admin role there).
    func administers(_ scope: AgencyScope) -> Bool {
        if kind == .administrator { return true }
        switch scope {
        case .agency(let code): return holds(.admin, in: code)
        case .allAgencies: return agencies(withAtLeast: .admin) == .all
        }
    }

    /// The agencies whose access or audit trail the caller may read.
    var administeredAgencies: AgencySet {
        kind == .administrator ? .all : agencies(withAtLeast: .admin)
    }

    /// - Throws: ``APIError`` 403 unless the caller holds `role` in `agency`.
    func require(_ role: AccessRole, in agency: String) throws(APIError) {
        guard holds(role, in: agency) else {
            throw .forbidden("this needs the \(role.rawValue) role for agency \"\(agency)\", which \(actor) does not hold")
        }
    }

    /// - Throws: ``APIError`` 403 unless the caller holds `role` in every agency (the cross-agency role).
    func requireAllAgencies(_ role: AccessRole) throws(APIError) {
        guard agencies(withAtLeast: role) == .all else {
            throw .forbidden("this reads across agencies and needs the cross-agency (*) \(role.rawValue) role, which \(actor) does not hold")
        }
    }

    /// The agencies in which the caller holds `role`.
    /// - Throws: ``APIError`` 403 when there are none.
    func requireAnyAgency(_ role: AccessRole) throws(APIError) -> AgencySet {
        let agencies = agencies(withAtLeast: role)
        guard agencies != .only([]) else {
            throw .forbidden("this needs the \(role.rawValue) role in at least one agency, which \(actor) does not hold")
        }
        return agencies
    }
}
