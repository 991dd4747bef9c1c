import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation

/// The survey instruments registered per agency, service and channel, kept in `intake.instruments`.
///
/// Seeded from the registry file (``RegistryFile/Service/instruments``) and managed through the admin routes.
/// Look-ups use an in-memory copy (a ``ReloadingCache``) read again as a whole once it is older than the cache
/// lifetime (`CIVIC_INTAKE_REGISTRY_CACHE_S`), so an instrument set through another replica applies within
/// that time and one set through this replica at once; concurrent look-ups share one reload.
final class InstrumentRegistry: Sendable {
    /// Where an instrument applies.
    struct Key: Hashable, Sendable {
        var agency: String
        var service: String
        var channel: Channel
    }

    /// What setting an instrument did.
    enum Outcome: Sendable, Equatable {
        /// It was stored (new or changed).
        case stored
        /// The agency's service is not registered.
        case unknownService
    }

    private struct Entry: Sendable {
        var definition: InstrumentDefinition
        var updatedAt: Date
    }

    private let client: PostgresClient
    private let cache: ReloadingCache<[Key: Entry]>

    /// Creates a registry whose copy is read again once it is older than `cacheLifetime`.
    init(client: PostgresClient, cacheLifetime: Duration = .seconds(5)) {
        self.client = client
        self.cache = ReloadingCache(initial: [:], minimumReloadInterval: cacheLifetime) {
            try await Self.load(from: client)
        }
    }

    /// The instrument for a response's agency, service and channel, or `nil` when none is registered.
    func instrument(agency: String, service: String, channel: Channel) async throws -> InstrumentDefinition? {
        // Every look-up is a "miss" to the cache: it answers from the copy while that is younger than the
        // lifetime, and reads the table again (once, for everyone asking meanwhile) when it is not.
        try await cache.reloadAfterMiss()[Key(agency: agency, service: service, channel: channel)]?.definition
    }

    /// Registers `definition` for the key, replacing the one before (idempotent). Validate it first
    /// (``InstrumentDefinition/problem``).
    func set(_ definition: InstrumentDefinition, for key: Key, now: Date = Date()) async throws -> Outcome {
        let json = String(decoding: try CivicJSON.makeEncoder().encode(definition), as: UTF8.self)
        let rows = try await client.query(
            """
            INSERT INTO intake.instruments (agency, service, channel, definition, expires_on, updated_at)
            SELECT s.agency, s.code, $3, $4::jsonb, $5::date, $6 FROM intake.services s WHERE s.agency = $1 AND s.code = $2
            ON CONFLICT (agency, service, channel) DO UPDATE
                SET definition = EXCLUDED.definition, expires_on = EXCLUDED.expires_on, updated_at = EXCLUDED.updated_at
            RETURNING service
            """,
            [key.agency, key.service, key.channel.rawValue, json, definition.expiresOn, now]
        )
        guard !rows.rows.isEmpty else { return .unknownService }
        try await cache.reload()
        return .stored
    }

    /// Registers the registry file's instruments for `agencies` (their services are registered first).
    func register(_ agencies: [RegistryFile.Agency]) async throws {
        for agency in agencies {
            for service in agency.services {
                for (channelName, definition) in service.instruments ?? [:] {
                    guard let channel = Channel(rawValue: channelName) else {
                        throw RegistryFileError("agencies \(agency.code), service \(service.code): \"\(channelName)\" is not a channel")
                    }
                    if let problem = definition.problem {
                        throw RegistryFileError("agencies \(agency.code), service \(service.code), instrument \(channelName): \(problem)")
                    }
                    _ = try await set(definition, for: Key(agency: agency.code, service: service.code, channel: channel))
                }
            }
        }
    }

    /// Removes the instrument for the key; responses there are then checked against the form alone.
    /// - Returns: Whether there was one.
    func retire(_ key: Key) async throws -> Bool {
        let rows = try await client.query(
            "DELETE FROM intake.instruments WHERE agency = $1 AND service = $2 AND channel = $3 RETURNING service",
            [key.agency, key.service, key.channel.rawValue]
        )
        try await cache.reload()
        return !rows.rows.isEmpty
    }

    /// `agency`'s instruments, by service and channel, as of now.
    func list(agency: String, now: Date = Date()) async throws -> [RegisteredInstrument] {
        try await cache.reload()
            .filter { $0.key.agency == agency }
            .sorted { ($0.key.service, $0.key.channel.rawValue) < ($1.key.service, $1.key.channel.rawValue) }
            .map { key, entry in
                RegisteredInstrument(
                    service: key.service,
                    channel: key.channel,
                    definition: entry.definition,
                    updatedAt: Timestamp.format(entry.updatedAt),
                    daysToExpiry: entry.definition.daysToExpiry(from: now),
                    praExpired: entry.definition.isExpired(at: now)
                )
            }
    }

    private static func load(from client: PostgresClient) async throws -> [Key: Entry] {
        let rows = try await client.query("SELECT agency, service, channel, definition::text AS definition, updated_at FROM intake.instruments")
        let decoder = CivicJSON.makeDecoder()
        var entries: [Key: Entry] = [:]
        for row in rows.rows {
            // Rows are written only by ``set(_:for:now:)``: a channel or definition it cannot read is a
            // corrupted table, reported rather than silently ignored.
            let channelName: String = try row.require("channel")
            guard let channel = Channel(rawValue: channelName) else { throw RegistryFileError("intake.instruments: unknown channel \(channelName)") }
            let definition = try decoder.decode(InstrumentDefinition.self, from: Data(try row.require("definition", as: String.self).utf8))
            entries[Key(agency: try row.require("agency"), service: try row.require("service"), channel: channel)] = Entry(
                definition: definition,
                updatedAt: try row.require("updated_at")
            )
        }
        return entries
    }
}

/// A registry file (or stored registry) that cannot be used, with the place and the reason.
struct RegistryFileError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
