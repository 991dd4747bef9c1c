import CivicModels
import CivicPostgres
import CivicRuntime
import Foundation

/// The agencies and services allowed to submit responses, kept in `intake.agencies` and `intake.services`.
///
/// Seeded at start-up from a JSON file (``RegistryFile``) and extended at run time through the admin
/// endpoint. Look-ups use an in-memory copy (a ``ReloadingCache``); an unknown agency or service triggers at
/// most one reload per second, shared by the look-ups that miss meanwhile, so a newly registered agency is
/// accepted at once without a query per response.
final class AgencyRegistry: Sendable {
    private let client: PostgresClient
    /// Each agency's services.
    private let cache: ReloadingCache<[String: Set<String>]>

    init(client: PostgresClient) {
        self.client = client
        self.cache = ReloadingCache(initial: [:], minimumReloadInterval: .seconds(1)) {
            try await Self.load(from: client)
        }
    }

    /// Adds or renames agencies and their services (idempotent).
    func register(_ agencies: [RegistryFile.Agency]) async throws {
        guard !agencies.isEmpty else { return }
        try await client.withTransaction { connection in
            try await connection.insert(
                into: "intake.agencies",
                columns: ["code", "name"],
                rows: agencies.map { [$0.code, $0.name] },
                suffix: "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name"
            )
            let services = agencies.flatMap { agency in agency.services.map { [agency.code, $0.code, $0.name] as [(any PostgresEncodable)?] } }
            if !services.isEmpty {
                try await connection.insert(
                    into: "intake.services",
                    columns: ["agency", "code", "name"],
                    rows: services,
                    suffix: "ON CONFLICT (agency, code) DO UPDATE SET name = EXCLUDED.name"
                )
            }
        }
        try await cache.reload()
    }

    /// The codes of every registered agency, read from the database.
    func codes() async throws -> [String] {
        try await cache.reload().keys.sorted()
    }

    /// Why a response for `agency`/`service` cannot be accepted, or `nil` when both are registered.
    func rejection(agency: String, service: String, eventId: String) async throws -> Rejection? {
        var answer = cache.withSnapshot { Self.lookup(agency: agency, service: service, in: $0) }
        if answer != .registered {
            answer = Self.lookup(agency: agency, service: service, in: try await cache.reloadAfterMiss())
        }
        switch answer {
        case .registered:
            return nil
        case .unknownAgency:
            return Rejection(.unknownAgency, field: "agency", "\"\(agency)\" is not a registered agency", eventId: eventId)
        case .unknownService:
            return Rejection(.unknownService, field: "service", "\"\(service)\" is not a registered service of \(agency)", eventId: eventId)
        }
    }

    private enum Answer { case registered, unknownAgency, unknownService }

    private static func lookup(agency: String, service: String, in registered: [String: Set<String>]) -> Answer {
        guard let services = registered[agency] else { return .unknownAgency }
        return services.contains(service) ? .registered : .unknownService
    }

    private static func load(from client: PostgresClient) async throws -> [String: Set<String>] {
        let rows = try await client.query(
            "SELECT a.code AS agency, s.code AS service FROM intake.agencies a LEFT JOIN intake.services s ON s.agency = a.code"
        )
        var services: [String: Set<String>] = [:]
        for row in rows.rows {
            let agency: String = try row.require("agency")
            services[agency, default: []].formUnion(try row.decode("service", as: String.self).map { [$0] } ?? [])
        }
        return services
    }
}

/// The registry file survey-intake seeds from (`CIVIC_INTAKE_REGISTRY_FILE`):
/// `{"agencies": [{"code": "IRS", "name": "Internal Revenue Service", "services": [{"code": "free-file", "name": "IRS Free File",
/// "instruments": {"web": {"form": "a11-v2-thumbs", "ombControlNumber": "1505-0286", ...}}}]}]}`
package struct RegistryFile: Codable, Sendable {
    /// One agency.
    package struct Agency: Codable, Sendable {
        /// The code responses use in `agency`.
        package var code: String
        /// Display name.
        package var name: String
        /// Its services.
        package var services: [Service]
    }

    /// One service.
    package struct Service: Codable, Sendable {
        /// The code responses use in `service`.
        package var code: String
        /// Display name.
        package var name: String
        /// The survey instrument fielded on each channel (keyed by channel name), when registered.
        package var instruments: [String: InstrumentDefinition]?
    }

    /// The agencies.
    package var agencies: [Agency]
}
