import ArgumentParser
import CivicJSON
import Foundation

/// `civicctl access`: who may see what in reporting, through its administration routes: staff roles per
/// agency, reporting tokens for agency systems, and the audit trail.
struct Access: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grant and revoke staff roles, mint and revoke reporting tokens, read the audit trail (reporting).",
        subcommands: [Grant.self, Revoke.self, Users.self, Token.self, RevokeToken.self, Tokens.self, Audit.self]
    )

    /// Where reporting is and the credential its administration routes take.
    struct Options: ParsableArguments {
        @Option(help: "reporting's base URL (default: $CIVIC_REPORTING_URL or http://127.0.0.1:8084).")
        var url: String = ProcessInfo.processInfo.environment["CIVIC_REPORTING_URL"] ?? "http://127.0.0.1:8084"

        @Option(help: "A file holding the administration token or an agency admin's reporting token (default: $CIVIC_REPORTING_TOKEN).")
        var tokenFile: String?

        func send(_ method: String, _ path: String, body: [String: String]? = nil) async throws -> Data {
            try await send(method, path, json: body.map { Data(JSONWriter.object(strings: $0)) })
        }

        func send(_ method: String, _ path: String, json: Data?) async throws -> Data {
            guard let token = try SecretInput.read(file: tokenFile, option: "--token-file", variable: "CIVIC_REPORTING_TOKEN") else {
                throw ValidationError("set CIVIC_REPORTING_TOKEN or pass --token-file")
            }
            return try await AdminHTTP.send(service: "reporting", base: url, token: token, method, path, body: json)
        }
    }

    /// The roles, as reporting names them.
    enum Role: String, ExpressibleByArgument, CaseIterable {
        case viewer, analyst, admin
    }

    /// `civicctl access grant SUBJECT AGENCY ROLE`.
    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a staff member (their sign-in `sub`) a role in an agency (* for every agency); replaces the role held there."
        )
        @OptionGroup var options: Options
        @Argument(help: "The user's `sub` at the sign-in issuer.") var subject: String
        @Argument(help: "The agency code, or * for every agency.") var agency: String
        @Argument(help: "viewer, analyst or admin.") var role: Role
        @Option(help: "The user's name, shown in listings.") var name: String?
        @Option(help: "The sign-in issuer the `sub` belongs to (default: reporting's configured sign-in issuer).") var issuer: String?

        func run() async throws {
            var body = ["role": role.rawValue]
            if let name { body["name"] = name }
            _ = try await options.send("PUT", try path(subject, agency, issuer: issuer), body: body)
            print("granted \(role.rawValue) in \(agency) to \(subject)")
        }
    }

    /// `civicctl access revoke SUBJECT AGENCY`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a staff member's role in an agency away (at once).")
        @OptionGroup var options: Options
        @Argument(help: "The user's `sub`.") var subject: String
        @Argument(help: "The agency code, or *.") var agency: String
        @Option(help: "The sign-in issuer the `sub` belongs to (default: reporting's configured sign-in issuer).") var issuer: String?

        func run() async throws {
            _ = try await options.send("DELETE", try path(subject, agency, issuer: issuer))
            print("revoked \(subject)'s role in \(agency)")
        }
    }

    /// `civicctl access users [--agency X]`.
    struct Users: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff members' roles (as JSON).")
        @OptionGroup var options: Options
        @Option(help: "Only this agency (or *).") var agency: String?

        func run() async throws {
            print(String(decoding: try await options.send("GET", "/v1/admin/users" + (try query(agency))), as: UTF8.self))
        }
    }

    /// `civicctl access token AGENCY ROLE --label L`: prints a new token once.
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mint a reporting token for an agency system and print it (shown only once; reporting keeps its hash)."
        )
        @OptionGroup var options: Options
        @Argument(help: "The agency code, or * for every agency.") var agency: String
        @Argument(help: "viewer, analyst or admin.") var role: Role
        @Option(help: "What the token is for, e.g. 'IRS data warehouse nightly pull'.") var label: String
        @Option(help: "Days the token lives (default and maximum: reporting's CIVIC_REPORTING_TOKEN_DAYS and _MAX_DAYS).") var days: Int?

        func run() async throws {
            let request = MintRequest(agency: agency, role: role.rawValue, label: label, days: days)
            let data = try await options.send("POST", "/v1/admin/tokens", json: try JSONEncoder().encode(request))
            let minted = try JSONDecoder().decode(Minted.self, from: data)
            print(minted.token)
            FileHandle.standardError.write(
                Data(
                    "key id \(minted.keyId): \(minted.role) in \(minted.agency) until \(minted.expiresAt); store the token now, it is not shown again\n"
                        .utf8
                )
            )
        }

        private struct MintRequest: Encodable {
            var agency: String
            var role: String
            var label: String
            var days: Int?
        }

        private struct Minted: Decodable {
            var token: String
            var keyId: String
            var agency: String
            var role: String
            var expiresAt: String
        }
    }

    /// `civicctl access revoke-token KEY_ID`.
    struct RevokeToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-token",
            abstract: "Revoke a reporting token by its key id (refused at once on every replica)."
        )
        @OptionGroup var options: Options
        @Argument(help: "The key id (the part after `crt_`).") var keyId: String

        func run() async throws {
            _ = try await options.send("DELETE", "/v1/admin/tokens/\(try AdminHTTP.pathComponent(keyId, what: "a key id"))")
            print("revoked token \(keyId)")
        }
    }

    /// `civicctl access tokens [--agency X]`.
    struct Tokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List reporting tokens, never their secrets, with their expiry and last use (as JSON)."
        )
        @OptionGroup var options: Options
        @Option(help: "Only this agency (or *).") var agency: String?

        func run() async throws {
            print(String(decoding: try await options.send("GET", "/v1/admin/tokens" + (try query(agency))), as: UTF8.self))
        }
    }

    /// `civicctl access audit [--agency X] [--limit N]`.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read the audit trail, newest first (as JSON).")
        @OptionGroup var options: Options
        @Option(help: "Only this agency (or *).") var agency: String?
        @Option(help: "At most this many entries (1-10000).") var limit: Int = 100

        func run() async throws {
            let agencyQuery = try query(agency)
            let separator = agencyQuery.isEmpty ? "?" : "&"
            print(String(decoding: try await options.send("GET", "/v1/admin/audit\(agencyQuery)\(separator)limit=\(limit)"), as: UTF8.self))
        }
    }
}

private func path(_ subject: String, _ agency: String, issuer: String?) throws -> String {
    let path =
        "/v1/admin/users/\(try AdminHTTP.pathComponent(subject, what: "a subject"))/roles/\(try AdminHTTP.pathComponent(agency, what: "an agency code"))"
    guard let issuer else { return path }
    return path + "?issuer=\(try AdminHTTP.pathComponent(issuer, what: "an issuer"))"
}

private func query(_ agency: String?) throws -> String {
    guard let agency else { return "" }
    return "?agency=\(try AdminHTTP.pathComponent(agency, what: "an agency code"))"
}
