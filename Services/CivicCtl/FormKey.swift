import ArgumentParser
import CivicJSON
import Foundation

/// `civicctl form-key`: mint and revoke the public form keys of agencies' hosted forms and embeds, through
/// survey-intake's admin routes.
struct FormKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "form-key",
        abstract: "Mint and revoke the public key of an instrument's hosted form and embed (survey-intake admin routes).",
        subcommands: [Create.self, Revoke.self]
    )

    /// `civicctl form-key create IRS free-file web --origin https://www.irs.gov`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mint a form key for the instrument of a service and channel; prints the key, its id, the hosted page and the embed line."
        )

        @OptionGroup var admin: IntakeAdminOptions
        @OptionGroup var place: Instrument.Place

        @Option(name: .customLong("origin"), help: "An origin whose pages may embed the form (https://host[:port]); repeat for more.")
        var origins: [String] = []

        func run() async throws {
            var json = JSONWriter()
            json.object { body in body.field("allowedOrigins", strings: origins) }
            let data = try await admin.send("POST", try place.path() + "/form-keys", body: Data(json.bytes))
            let minted = try JSONDecoder().decode(Minted.self, from: data)
            print("key\t\(minted.key)")
            print("key_id\t\(minted.keyId)")
            print("allowed_origins\t\(minted.allowedOrigins.isEmpty ? "(none: the hosted page only)" : minted.allowedOrigins.joined(separator: " "))")
            print("hosted_page\t\(admin.url)\(minted.pagePath)")
            print("embed\t\(minted.embed.replacingOccurrences(of: "https://INTAKE", with: admin.url))")
        }

        private struct Minted: Decodable {
            var keyId: String
            var key: String
            var allowedOrigins: [String]
            var pagePath: String
            var embed: String
        }
    }

    /// `civicctl form-key revoke IRS <key-id>`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a form key: its page, embed and submissions are refused from then on.")

        @OptionGroup var admin: IntakeAdminOptions

        @Argument(help: "The agency code.")
        var agency: String

        @Argument(help: "The key's id (key_id printed by create).")
        var keyId: String

        func run() async throws {
            let path =
                "/v1/admin/agencies/\(try AdminHTTP.pathComponent(agency, what: "an agency code"))/form-keys/"
                + (try AdminHTTP.pathComponent(keyId, what: "a key id"))
            _ = try await admin.send("DELETE", path)
            print("revoked form key \(keyId) of \(agency)")
        }
    }
}
