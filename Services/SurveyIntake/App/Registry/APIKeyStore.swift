import CivicPostgres
import CivicRuntime
import Foundation

/// Per-agency API keys for `POST /v1/responses`, kept in `intake.api_keys` as SHA-256 digests only.
///
/// A key reads `cpk_<key id>_<secret>`: the id finds the row, the secret's digest is compared in constant
/// time. Look-ups use an in-memory copy (a ``ReloadingCache``); an unknown key id triggers at most one reload
/// per second, shared by the look-ups that miss meanwhile (so a key minted by another replica works within a
/// second), and a cached key is checked again (one indexed query)
/// once it is older than the cache lifetime (`CIVIC_INTAKE_API_KEY_CACHE_S`), so a key revoked by another
/// replica stops working within that time. Revoking through this instance drops the key at once.
final class APIKeyStore: Sendable {
    /// An authenticated key.
    struct Key: Sendable, Equatable {
        /// The public part of the key, used for rate limiting and logs.
        var id: String
        /// The one agency the key may submit for.
        var agency: String
    }

    /// A freshly minted key: the plaintext is returned once and never stored.
    struct Minted: Sendable {
        var key: Key
        var plaintext: String
    }

    private struct Entry: Sendable {
        var agency: String
        var digest: [UInt8]
        /// When the row was last read (or written) by this instance.
        var checkedAt: ContinuousClock.Instant
    }

    private let client: PostgresClient
    private let cacheLifetime: Duration
    /// The unrevoked keys by key id.
    private let cache: ReloadingCache<[String: Entry]>

    /// Creates a store; a cached key is read again once it is older than `cacheLifetime`.
    init(client: PostgresClient, cacheLifetime: Duration = .seconds(5)) {
        self.client = client
        self.cacheLifetime = cacheLifetime
        self.cache = ReloadingCache(initial: [:], minimumReloadInterval: .seconds(1)) {
            try await Self.load(from: client)
        }
    }

    /// Mints a random key for `agency` and stores its digest.
    /// - Returns: The key, or `nil` when `agency` is not registered.
    func mint(agency: String) async throws -> Minted? {
        let secret = BearerSecret.mint(prefix: "cpk")
        let id = secret.keyId
        let digest = secret.digest
        let inserted = try await client.query(
            """
            INSERT INTO intake.api_keys (key_id, agency, secret_sha256)
            SELECT $1, code, $3 FROM intake.agencies WHERE code = $2
            RETURNING key_id
            """,
            [id, agency, digest]
        )
        guard !inserted.rows.isEmpty else { return nil }
        cache.withSnapshot { $0[id] = Entry(agency: agency, digest: digest, checkedAt: .now) }
        return Minted(key: Key(id: id, agency: agency), plaintext: secret.plaintext)
    }

    /// The key a bearer token names, or `nil` when it is malformed, unknown, revoked or wrong.
    func authenticate(_ token: Substring) async throws -> Key? {
        guard let presented = BearerSecret(parsing: token, prefix: "cpk") else { return nil }
        let id = presented.keyId
        // An expired entry is claimed (its time reset) by the one request that reads it again; requests
        // arriving meanwhile keep using it instead of querying too.
        let cacheLifetime = cacheLifetime
        let (cached, expired) = cache.withSnapshot { keys -> (Entry?, Bool) in
            guard let entry = keys[id] else { return (nil, false) }
            guard ContinuousClock.now - entry.checkedAt > cacheLifetime else { return (entry, false) }
            keys[id]?.checkedAt = .now
            return (entry, true)
        }
        var entry = cached
        if expired {
            entry = try await refresh(id)
        } else if entry == nil {
            entry = try await cache.reloadAfterMiss()[id]
        }
        guard let entry, presented.matches(storedDigest: entry.digest) else { return nil }
        return Key(id: id, agency: entry.agency)
    }

    /// What revoking a key did.
    enum Revocation: Sendable, Equatable {
        /// The key is revoked, now or already earlier, at `at`.
        case revoked(at: Date)
        /// The agency has no key with that id.
        case unknownKey
    }

    /// Revokes the key `keyId` of `agency` (idempotent: revoking again keeps the first time) and drops it
    /// from this instance's cache at once; other instances stop honouring it within the cache lifetime.
    func revoke(agency: String, keyId: String) async throws -> Revocation {
        let rows = try await client.query(
            """
            UPDATE intake.api_keys SET revoked_at = COALESCE(revoked_at, now())
            WHERE key_id = $1 AND agency = $2
            RETURNING revoked_at
            """,
            [keyId, agency]
        )
        guard let row = rows.first else { return .unknownKey }
        cache.withSnapshot { _ = $0.removeValue(forKey: keyId) }
        return .revoked(at: try row.require("revoked_at", as: Date.self))
    }

    /// Reads one key again; drops it from the cache when it is gone or revoked.
    private func refresh(_ id: String) async throws -> Entry? {
        let rows = try await client.query(
            "SELECT agency, secret_sha256 FROM intake.api_keys WHERE key_id = $1 AND revoked_at IS NULL",
            [id]
        )
        let entry = try rows.first.map {
            Entry(agency: try $0.require("agency"), digest: try $0.require("secret_sha256"), checkedAt: .now)
        }
        cache.withSnapshot { $0[id] = entry }
        return entry
    }

    private static func load(from client: PostgresClient) async throws -> [String: Entry] {
        let rows = try await client.query("SELECT key_id, agency, secret_sha256 FROM intake.api_keys WHERE revoked_at IS NULL")
        let now = ContinuousClock.now
        var keys: [String: Entry] = [:]
        for row in rows.rows {
            keys[try row.require("key_id")] = Entry(agency: try row.require("agency"), digest: try row.require("secret_sha256"), checkedAt: now)
        }
        return keys
    }
}
