import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation

/// The public form keys of the hosted form and its embed, kept in `intake.form_keys` as SHA-256 digests only.
///
/// A form key reads `cpf_<key id>_<secret>` and is public: it sits in the agency's page. It can only submit
/// responses for the one instrument (agency, service, channel) it was minted for, and only from the hosted
/// page or a page on one of its allowed origins; it is never an API key and the API routes refuse it.
final class FormKeyStore: Sendable {
    /// An authenticated form key.
    struct Form: Sendable, Equatable {
        /// The public part of the key: it names the form in logs, rate limits and revocations.
        var keyId: String
        /// The instrument's agency.
        var agency: String
        /// The instrument's service.
        var service: String
        /// The instrument's channel.
        var channel: Channel
        /// The origins (`https://www.irs.gov`) whose pages may embed the form.
        var allowedOrigins: [String]
    }

    private let client: PostgresClient

    /// Creates a store on `client`.
    init(client: PostgresClient) {
        self.client = client
    }

    /// Mints a form key for the instrument at `key`, usable from `origins`.
    /// - Returns: The key as presented and its form, or `nil` when no instrument is registered there.
    func mint(for key: InstrumentRegistry.Key, allowedOrigins origins: [String]) async throws -> (plaintext: String, form: Form)? {
        let secret = BearerSecret.mint(prefix: "cpf")
        let json = String(decoding: try JSONEncoder().encode(origins), as: UTF8.self)
        let rows = try await client.query(
            """
            INSERT INTO intake.form_keys (key_id, agency, service, channel, secret_sha256, allowed_origins)
            SELECT $1, i.agency, i.service, i.channel, $5, $6::jsonb FROM intake.instruments i
            WHERE i.agency = $2 AND i.service = $3 AND i.channel = $4
            RETURNING key_id
            """,
            [secret.keyId, key.agency, key.service, key.channel.rawValue, secret.digest, json]
        )
        guard !rows.rows.isEmpty else { return nil }
        let form = Form(keyId: secret.keyId, agency: key.agency, service: key.service, channel: key.channel, allowedOrigins: origins)
        return (secret.plaintext, form)
    }

    /// The form a presented key names, or `nil` when it is malformed, unknown, revoked or wrong.
    func authenticate(_ text: some StringProtocol) async throws -> Form? {
        guard let presented = BearerSecret(parsing: Substring(text), prefix: "cpf") else { return nil }
        let rows = try await client.query(
            """
            SELECT agency, service, channel, secret_sha256, allowed_origins::text AS origins
            FROM intake.form_keys WHERE key_id = $1 AND revoked_at IS NULL
            """,
            [presented.keyId]
        )
        guard let row = rows.first, presented.matches(storedDigest: try row.require("secret_sha256", as: [UInt8].self)) else {
            return nil
        }
        let channelName: String = try row.require("channel")
        guard let channel = Channel(rawValue: channelName) else { return nil }
        let origins = try JSONDecoder().decode([String].self, from: Data(try row.require("origins", as: String.self).utf8))
        return Form(
            keyId: presented.keyId,
            agency: try row.require("agency"),
            service: try row.require("service"),
            channel: channel,
            allowedOrigins: origins
        )
    }

    /// Revokes the form key `keyId` of `agency` (idempotent).
    /// - Returns: Whether the agency has such a key.
    func revoke(agency: String, keyId: String) async throws -> Bool {
        let rows = try await client.query(
            "UPDATE intake.form_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE key_id = $1 AND agency = $2 RETURNING key_id",
            [keyId, agency]
        )
        return !rows.rows.isEmpty
    }

    /// `text` as an origin an allow-list holds (`https://host[:port]`, lower case), or `nil` when it is not
    /// an `http`/`https` origin without path, query or credentials.
    static func origin(_ text: String) -> String? {
        guard text.utf8.count <= 300, let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = url.host, !host.isEmpty, url.user == nil, url.password == nil, url.query == nil, url.fragment == nil,
            url.path.isEmpty || url.path == "/"
        else { return nil }
        return "\(scheme)://\(host.lowercased())" + (url.port.map { ":\($0)" } ?? "")
    }
}
