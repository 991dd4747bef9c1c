import ArgumentParser
import CivicJSON
import Foundation

/// `civicctl agency`: register agencies, mint and revoke their API keys through survey-intake's admin routes.
struct Agency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register agencies, mint and revoke their API keys (survey-intake admin routes).",
        subcommands: [Add.self, Key.self, RevokeKey.self]
    )

    /// `civicctl agency add IRS --name "Internal Revenue Service" --service free-file="IRS Free File"`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an agency (or rename it) and add or rename services.")

        @OptionGroup var admin: IntakeAdminOptions

        @Argument(help: "The agency code responses use in `agency`, for example IRS.")
        var code: String

        @Option(help: "The agency's display name.")
        var name: String

        @Option(name: .customLong("service"), help: "A service as code=Display name; repeat for more.")
        var services: [String] = []

        func run() async throws {
            var parsed: [(code: String, name: String)] = []
            for service in services {
                let parts = service.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw ValidationError("--service '\(service)' must be code=Display name")
                }
                parsed.append((parts[0], parts[1]))
            }
            var json = JSONWriter()
            json.object { body in
                body.field("name", string: name)
                body.field("services", objects: parsed) { object, service in
                    object.field("code", string: service.code)
                    object.field("name", string: service.name)
                }
            }
            let body = Data(json.bytes)
            _ = try await admin.send("PUT", "/v1/admin/agencies/\(try Self.pathComponent(code))", body: body)
            print("registered \(code) with \(parsed.count) service(s)")
        }

        static func pathComponent(_ code: String) throws -> String {
            guard let escaped = code.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_"])), !code.isEmpty else {
                throw ValidationError("'\(code)' is not an agency code")
            }
            return escaped
        }
    }

    /// `civicctl agency key IRS`: prints a new key once.
    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mint an API key for an agency and print it (it is shown only once; survey-intake keeps its hash)."
        )

        @OptionGroup var admin: IntakeAdminOptions

        @Argument(help: "The agency code.")
        var code: String

        func run() async throws {
            let data = try await admin.send("POST", "/v1/admin/agencies/\(try Add.pathComponent(code))/keys")
            let minted = try JSONDecoder().decode(Minted.self, from: data)
            print(minted.key)
            FileHandle.standardError.write(Data("key id \(minted.keyId) for \(minted.agency); store the key now, it is not shown again\n".utf8))
        }

        private struct Minted: Decodable {
            var agency: String
            var keyId: String
            var key: String
        }
    }

    /// `civicctl agency revoke-key IRS 0123456789abcdef`: revokes a key by its id (idempotent).
    struct RevokeKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-key",
            abstract: "Revoke an agency's API key by its key id (the replica asked refuses it at once, others within "
                + "CIVIC_INTAKE_API_KEY_CACHE_S)."
        )

        @OptionGroup var admin: IntakeAdminOptions

        @Argument(help: "The agency code.")
        var code: String

        @Argument(help: "The key id (printed by `civicctl agency key`; the part after `cpk_`).")
        var keyId: String

        func run() async throws {
            guard !keyId.isEmpty, keyId.unicodeScalars.allSatisfy({ $0.isASCII && CharacterSet.alphanumerics.contains($0) }) else {
                throw ValidationError("'\(keyId)' is not a key id (16 hex digits)")
            }
            let data = try await admin.send("DELETE", "/v1/admin/agencies/\(try Add.pathComponent(code))/keys/\(keyId)")
            let revoked = try JSONDecoder().decode(Revoked.self, from: data)
            print("revoked key \(revoked.keyId) of \(revoked.agency) at \(revoked.revokedAt)")
        }

        private struct Revoked: Decodable {
            var agency: String
            var keyId: String
            var revokedAt: String
        }
    }
}
