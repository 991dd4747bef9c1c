/// The body of `PUT /v1/admin/agencies/{code}`: registers the agency (or renames it) and adds or renames
/// its services. Services not listed are kept.
public struct AgencyRegistration: Codable, Sendable, Hashable {
    /// Display name.
    public var name: String
    /// Services to add or rename.
    public var services: [Service]

    /// One service.
    public struct Service: Codable, Sendable, Hashable {
        /// The code responses use in `service`.
        public var code: String
        /// Display name.
        public var name: String

        /// Creates a service.
        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }

    /// Creates a registration.
    public init(name: String, services: [Service]) {
        self.name = name
        self.services = services
    }
}

/// The body of a `201 Created` answer to `POST /v1/admin/agencies/{code}/keys`. The key is shown only
/// here: survey-intake stores its SHA-256 digest, never the key.
public struct MintedAPIKey: Codable, Sendable, Hashable {
    /// The agency the key may submit for.
    public var agency: String
    /// The key's public id (the part after `cpk_`), for logs and revocation.
    public var keyId: String
    /// The key, for `Authorization: Bearer <key>`.
    public var key: String

    /// Creates the body.
    public init(agency: String, keyId: String, key: String) {
        self.agency = agency
        self.keyId = keyId
        self.key = key
    }
}

/// The body of a `200 OK` answer to `DELETE /v1/admin/agencies/{code}/keys/{keyId}`. Revoking a key again
/// answers the same, with the time of the first revocation.
public struct RevokedAPIKey: Codable, Sendable, Hashable {
    /// The agency the key belonged to.
    public var agency: String
    /// The key's public id.
    public var keyId: String
    /// When the key was revoked (RFC 3339).
    public var revokedAt: String

    /// Creates the body.
    public init(agency: String, keyId: String, revokedAt: String) {
        self.agency = agency
        self.keyId = keyId
        self.revokedAt = revokedAt
    }
}
