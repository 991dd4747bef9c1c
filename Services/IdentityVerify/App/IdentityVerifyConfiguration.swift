import CivicIdentity
import CivicRuntime
import Configuration
import Foundation

/// identity-verify's settings: the shared runtime settings, the pseudonym keys and the trusted issuers.
package struct IdentityVerifyConfiguration: Sendable {
    /// Broker, database, HTTP, logging and batching.
    package var runtime: RuntimeConfiguration
    /// Versioned HMAC keys, `v1:<base64>,v2:<base64>` (each at least 32 bytes). Required; the service
    /// refuses to start without them. (`CIVIC_PSEUDONYM_KEYS`, secret)
    package var pseudonymKeys: String
    /// The key version new pseudonyms use, for example `v2`. Default: the highest version in
    /// ``pseudonymKeys``. (`CIVIC_PSEUDONYM_CURRENT`)
    package var pseudonymCurrentVersion: String?
    /// Trusted issuers, their JWKS and per-agency policies; see ``IdentityIssuersFile``. Default: none, so
    /// every token is refused as `untrusted_issuer` and its response continues anonymously.
    /// (`CIVIC_IDENTITY_ISSUERS_FILE`, a path to the JSON file)
    package var issuers: IdentityIssuersFile
    /// Requests on `cx.identity.requests.v1` older than this are answered `expired` without verification.
    /// Default: 5 s. (`CIVIC_IDENTITY_REPLY_DEADLINE_MS`)
    package var replyDeadline: Duration = .seconds(5)

    /// Creates a configuration.
    package init(
        runtime: RuntimeConfiguration = RuntimeConfiguration(serviceName: "identity-verify"),
        pseudonymKeys: String,
        pseudonymCurrentVersion: String? = nil,
        issuers: IdentityIssuersFile = IdentityIssuersFile()
    ) {
        self.runtime = runtime
        self.pseudonymKeys = pseudonymKeys
        self.pseudonymCurrentVersion = pseudonymCurrentVersion
        self.issuers = issuers
    }

    /// The key ring the configuration describes.
    package func keyRing() throws -> PseudonymKeyRing {
        let current: String
        if let pseudonymCurrentVersion {
            current = pseudonymCurrentVersion
        } else {
            let versions = pseudonymKeys.split(separator: ",").compactMap { entry -> Int? in
                let name = entry.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
                return Int(name.trimmingCharacters(in: .whitespaces).dropFirst())
            }
            guard let highest = versions.max() else {
                throw ConfigurationError(key: "civic.pseudonym.keys", reason: "no key versions found (expected v1:<base64>,...)")
            }
            current = "v\(highest)"
        }
        return try PseudonymKeyRing(specification: pseudonymKeys, currentVersion: current)
    }
}

/// The JSON file that lists trusted issuers and agency policies:
/// ```json
/// {"clockSkewSeconds": 60,
///  "issuers": [{"issuer": "https://idp.int.identitysandbox.gov/", "audiences": ["urn:gov:gsa:openidconnect.profiles:sp:sso:civicpulse"],
///               "agencyAudiences": {"IRS": ["urn:gov:gsa:openidconnect.profiles:sp:sso:irs:cx"]},
///               "jwks": "https://idp.int.identitysandbox.gov/api/openid_connect/certs"}],
///  "agencyPolicies": {"IRS": {"minimumIdentityLevel": "verified-facial-match", "onRefusal": "reject"}}}
/// ```
/// `jwks` is an `https://` URL, a `file://` URL or a plain file path.
package struct IdentityIssuersFile: Codable, Sendable {
    /// One trusted issuer.
    package struct Issuer: Codable, Sendable {
        /// The exact `iss`.
        package var issuer: String
        /// Accepted audiences (client ids) shared by every agency: tokens with one must be bound by nonce.
        package var audiences: [String]
        /// Audiences (client ids) of one agency each, by agency code: a token with one is bound to that agency.
        /// Default: none.
        package var agencyAudiences: [String: [String]]?
        /// Where the JWKS is.
        package var jwks: String
        /// Refresh interval in seconds. Default: 3600.
        package var refreshSeconds: Int?
    }

    /// An agency's requirements.
    package struct Policy: Codable, Sendable {
        /// Lowest identity level: `none`, `auth-only`, `verified`, `verified-facial-match`.
        package var minimumIdentityLevel: String?
        /// Lowest authenticator level: `mfa`, `aal2`, `aal2-phishing-resistant`, `aal2-hspd12`.
        package var minimumAuthenticatorLevel: String?
        /// `continue-anonymously` (default) or `reject`.
        package var onRefusal: String?
    }

    /// Clock skew allowed on `exp`, `nbf`, `iat`. Default: 60.
    package var clockSkewSeconds: Int?
    /// Trusted issuers.
    package var issuers: [Issuer]
    /// Policies by agency code.
    package var agencyPolicies: [String: Policy]?

    /// An empty file: no trusted issuers.
    package init(issuers: [Issuer] = [], agencyPolicies: [String: Policy]? = nil, clockSkewSeconds: Int? = nil) {
        self.issuers = issuers
        self.agencyPolicies = agencyPolicies
        self.clockSkewSeconds = clockSkewSeconds
    }

    /// The verifier configuration this file describes.
    package func verifierConfiguration() throws -> IdentityVerifierConfiguration {
        let trusted = try issuers.map { entry -> TrustedIssuer in
            let source: JWKSSource
            if entry.jwks.hasPrefix("https://") || entry.jwks.hasPrefix("http://") || entry.jwks.hasPrefix("file://") {
                guard let url = URL(string: entry.jwks) else {
                    throw ConfigurationError(key: "civic.identity.issuers-file", reason: "\(entry.jwks) is not a URL")
                }
                source = .url(url)
            } else {
                source = .file(entry.jwks)
            }
            return TrustedIssuer(
                issuer: entry.issuer,
                audiences: entry.audiences,
                keySource: source,
                refreshInterval: .seconds(entry.refreshSeconds ?? 3600),
                agencyAudiences: entry.agencyAudiences ?? [:]
            )
        }
        var policies: [String: AgencyIdentityPolicy] = [:]
        for (agency, policy) in agencyPolicies ?? [:] {
            var converted = AgencyIdentityPolicy()
            if let name = policy.minimumIdentityLevel {
                guard let level = IdentityProofingLevel(name: name) else {
                    throw ConfigurationError(key: "civic.identity.issuers-file", reason: "\(agency): unknown identity level \(name)")
                }
                converted.minimumIdentityLevel = level
            }
            if let name = policy.minimumAuthenticatorLevel {
                guard let level = AuthenticatorAssuranceLevel(name: name) else {
                    throw ConfigurationError(key: "civic.identity.issuers-file", reason: "\(agency): unknown authenticator level \(name)")
                }
                converted.minimumAuthenticatorLevel = level
            }
            if let handling = policy.onRefusal {
                guard let value = AgencyIdentityPolicy.RefusalHandling(rawValue: handling) else {
                    throw ConfigurationError(
                        key: "civic.identity.issuers-file",
                        reason: "\(agency): onRefusal must be continue-anonymously or reject"
                    )
                }
                converted.onRefusal = value
            }
            policies[agency] = converted
        }
        return IdentityVerifierConfiguration(
            trustedIssuers: trusted,
            clockSkew: .seconds(clockSkewSeconds ?? 60),
            agencyPolicies: policies
        )
    }
}

extension IdentityVerifyConfiguration {
    /// Reads the configuration from `reader` (environment variables `CIVIC_*`).
    package init(reader: ConfigReader) throws {
        let keys = reader.text("civic.pseudonym.keys", default: "", isSecret: true)
        guard !keys.isEmpty else {
            throw ConfigurationError(key: "civic.pseudonym.keys", reason: "is required: versioned HMAC keys, v1:<base64 of >= 32 random bytes>")
        }
        var issuers = IdentityIssuersFile()
        let path = reader.text("civic.identity.issuers-file", default: "")
        if !path.isEmpty {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                issuers = try JSONDecoder().decode(IdentityIssuersFile.self, from: data)
            } catch {
                throw ConfigurationError(key: "civic.identity.issuers-file", reason: "\(path): \(error)")
            }
        }
        let current = reader.text("civic.pseudonym.current", default: "")
        self.init(
            runtime: try RuntimeConfiguration(reader: reader, service: "identity-verify"),
            pseudonymKeys: keys,
            pseudonymCurrentVersion: current.isEmpty ? nil : current,
            issuers: issuers
        )
        replyDeadline = .milliseconds(
            try reader.strictInt("civic.identity.reply-deadline-ms", default: 5_000, in: 100...3_600_000)
        )
    }
}
