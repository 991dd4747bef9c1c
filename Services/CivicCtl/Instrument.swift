import ArgumentParser
import CivicJSON
import CivicModels
import Foundation

/// `civicctl instrument`: set, list and retire agencies' survey instruments through survey-intake's admin routes.
struct Instrument: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set, list and retire the survey instrument of an agency's service and channel (survey-intake admin routes).",
        subcommands: [Assign.self, List.self, Retire.self]
    )

    /// Where an instrument applies.
    struct Place: ParsableArguments {
        @Argument(help: "The agency code, for example IRS.")
        var agency: String

        @Argument(help: "The service code, for example free-file.")
        var service: String

        @Argument(help: "The channel: \(Channel.allCases.map(\.rawValue).joined(separator: ", ")).")
        var channel: String

        func path() throws -> String {
            guard Channel(rawValue: channel) != nil else {
                throw ValidationError("'\(channel)' is not a channel (\(Channel.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return "/v1/admin/agencies/\(try AdminHTTP.pathComponent(agency, what: "an agency code"))/instruments/"
                + "\(try AdminHTTP.pathComponent(service, what: "a service code"))/\(channel)"
        }
    }

    /// `civicctl instrument set IRS free-file web --form a11-v2-thumbs --omb-control-number 1545-2278 ...`.
    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set the instrument of a service and channel: responses there must then fit its form and options."
        )

        @OptionGroup var admin: IntakeAdminOptions
        @OptionGroup var place: Place

        @Option(help: "The form: \(InstrumentForm.allCases.map(\.rawValue).joined(separator: ", ")).")
        var form: String

        @Option(help: "The OMB control number of the PRA clearance, for example 1545-2278.")
        var ombControlNumber: String

        @Option(help: "The last day of the clearance, YYYY-MM-DD.")
        var expiresOn: String

        @Option(help: "The trust question as respondents read it.")
        var trustQuestion: String

        @Option(help: "The what went well options offered, comma-separated (a11-v2 only).")
        var wentWell: String = ""

        @Option(help: "The what didn't go well options offered, comma-separated (a11-v2 only).")
        var didNotGoWell: String = ""

        @Option(name: .customLong("language"), help: "A language the instrument is fielded in (BCP 47); repeat for more.")
        var languages: [String] = ["en"]

        @Option(help: "The Federal Register notice of the collection (https URL).")
        var federalRegisterURL: String?

        func run() async throws {
            guard let form = InstrumentForm(rawValue: form) else {
                throw ValidationError("--form '\(form)' is not one of \(InstrumentForm.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            func drivers(_ list: String, _ option: String) throws -> [String] {
                let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                if let bad = names.first(where: { Driver(rawValue: $0) == nil }) {
                    throw ValidationError("--\(option) '\(bad)' is not one of \(Driver.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return names
            }
            let wentWellOptions = try drivers(wentWell, "went-well")
            let didNotGoWellOptions = try drivers(didNotGoWell, "did-not-go-well")
            var json = JSONWriter()
            json.object { body in
                body.field("didNotGoWellOptions", strings: didNotGoWellOptions)
                body.field("expiresOn", string: expiresOn)
                if let federalRegisterURL { body.field("federalRegisterURL", string: federalRegisterURL) }
                body.field("form", string: form.rawValue)
                body.field("languages", strings: languages)
                body.field("ombControlNumber", string: ombControlNumber)
                body.field("trustQuestion", string: trustQuestion)
                body.field("wentWellOptions", strings: wentWellOptions)
            }
            _ = try await admin.send("PUT", try place.path(), body: Data(json.bytes))
            print(
                "set the \(form.rawValue) instrument (OMB \(ombControlNumber), expires \(expiresOn)) for \(place.agency) \(place.service) \(place.channel)"
            )
        }
    }

    /// `civicctl instrument list IRS`: one line per instrument, expired clearances marked.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an agency's instruments with the days left on each PRA clearance.")

        @OptionGroup var admin: IntakeAdminOptions

        @Argument(help: "The agency code.")
        var agency: String

        func run() async throws {
            let data = try await admin.send("GET", "/v1/admin/agencies/\(try AdminHTTP.pathComponent(agency, what: "an agency code"))/instruments")
            let list = try JSONDecoder().decode(Listed.self, from: data)
            print(["service", "channel", "form", "omb", "expires_on", "status"].joined(separator: "\t"))
            for item in list.instruments {
                let status = item.praExpired ? "EXPIRED" : "\(item.daysToExpiry) days left"
                print(
                    [item.service, item.channel, item.definition.form, item.definition.ombControlNumber, item.definition.expiresOn, status]
                        .joined(separator: "\t")
                )
            }
        }

        private struct Listed: Decodable {
            struct Item: Decodable {
                struct Definition: Decodable {
                    var form: String
                    var ombControlNumber: String
                    var expiresOn: String
                }
                var service: String
                var channel: String
                var definition: Definition
                var daysToExpiry: Int
                var praExpired: Bool
            }
            var instruments: [Item]
        }
    }

    /// `civicctl instrument retire IRS free-file web`.
    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retire the instrument of a service and channel; responses there are then checked against their form alone."
        )

        @OptionGroup var admin: IntakeAdminOptions
        @OptionGroup var place: Place

        func run() async throws {
            _ = try await admin.send("DELETE", try place.path())
            print("retired the instrument of \(place.agency) \(place.service) \(place.channel)")
        }
    }
}
