/// The body of `PUT /v1/admin/agencies/{code}`: registers the agency (or renames it) and adds or renames
/// its services. Services not listed are kept.
package struct AgencyRegistration: Codable, Sendable, Hashable {
    /// Display name.
    package var name: String
    /// Services to add or rename.
    package var services: [Service]

    /// One service.
    package struct Service: Codable, Sendable, Hashable {
        /// The code responses use in `service`.
        package var code: String
        /// Display name.
        package var name: String

        /// Creates a service.
        package init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }

    /// Creates a registration.
    package init(name: String, services: [Service]) {
        self.name = name
        self.services = services
    }
}

/// The body of a `201 Created` answer to `POST /v1/admin/agencies/{code}/keys`. The key is shown only
/// here: survey-intake stores its SHA-256 digest, never the key.
package struct MintedAPIKey: Codable, Sendable, Hashable {
    /// The agency the key may submit for.
    package var agency: String
    /// The key's public id (the part after `cpk_`), for logs and revocation.
    package var keyId: String
    /// The key, for `Authorization: Bearer <key>`.
    package var key: String

    /// Creates the body.
    package init(agency: String, keyId: String, key: String) {
        self.agency = agency
        self.keyId = keyId
        self.key = key
    }
}

/// The body of a `200 OK` answer to `DELETE /v1/admin/agencies/{code}/keys/{keyId}`. Revoking a key again
/// answers the same, with the time of the first revocation.
package struct RevokedAPIKey: Codable, Sendable, Hashable {
    /// The agency the key belonged to.
    package var agency: String
    /// The key's public id.
    package var keyId: String
    /// When the key was revoked (RFC 3339).
    package var revokedAt: String

    /// Creates the body.
    package init(agency: String, keyId: String, revokedAt: String) {
        self.agency = agency
        self.keyId = keyId
        self.revokedAt = revokedAt
    }
}
