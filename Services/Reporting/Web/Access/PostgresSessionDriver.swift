import CivicPostgres
import CivicRuntime
import CivicTime
import Foundation
import Hummingbird

/// Hummingbird's session storage (``PersistDriver``) in `reporting.sessions`, shared by every replica.
///
/// Keys are session ids, bearer secrets: only their SHA-256 digest is stored. Values are JSON. An expired
/// row is never returned, and expired rows are deleted whenever a session is created.
package struct PostgresSessionDriver: PersistDriver {
    let client: PostgresClient

    package init(client: PostgresClient) {
        self.client = client
    }

    package func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        _ = try await client.query("DELETE FROM reporting.sessions WHERE expires_at <= now()")
        let rows = try await client.query(
            """
            INSERT INTO reporting.sessions (id_sha256, data, expires_at)
            VALUES ($1, $2::jsonb, now() + make_interval(secs => $3))
            ON CONFLICT (id_sha256) DO NOTHING
            RETURNING id_sha256
            """,
            [BearerSecret.digest(key), try Self.json(value), expires.map(Self.seconds)]
        )
        if rows.isEmpty { throw PersistError.duplicate }
    }

    package func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        _ = try await client.query(
            """
            INSERT INTO reporting.sessions (id_sha256, data, expires_at)
            VALUES ($1, $2::jsonb, now() + make_interval(secs => $3))
            ON CONFLICT (id_sha256) DO UPDATE
                SET data = EXCLUDED.data, expires_at = COALESCE(EXCLUDED.expires_at, reporting.sessions.expires_at)
            """,
            [BearerSecret.digest(key), try Self.json(value), expires.map(Self.seconds)]
        )
    }

    package func get<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: type)?.object
    }

    package func getWithTTL<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        let rows = try await client.query(
            """
            SELECT data::text AS data, extract(epoch FROM expires_at - now())::float8 AS ttl FROM reporting.sessions
            WHERE id_sha256 = $1 AND (expires_at IS NULL OR expires_at > now())
            """,
            [BearerSecret.digest(key)]
        )
        guard let row = rows.first else { return nil }
        let data: String = try row.require("data")
        let object: Object
        do {
            object = try JSONDecoder().decode(Object.self, from: Data(data.utf8))
        } catch {
            throw PersistError.invalidConversion
        }
        let ttl = try row.decode("ttl", as: Double.self).flatMap { $0.isFinite ? Duration.seconds(min(max($0, 0), 1e9)) : nil }
        return (object, ttl)
    }

    package func remove(key: String) async throws {
        _ = try await client.query("DELETE FROM reporting.sessions WHERE id_sha256 = $1", [BearerSecret.digest(key)])
    }

    private static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    private static func seconds(_ duration: Duration) -> Double {
        duration.timeInterval
    }
}
