import ArgumentParser
import CivicContracts
import Foundation
import ReportingWeb
import SurveyIntake

/// Writes the published contracts (event JSON Schemas, AsyncAPI, OpenAPI per HTTP service) under
/// `contracts/`, generated from the Swift types; `--check` only reports files that differ.
@main
struct ContractsGen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contracts-gen",
        abstract: "Generate contracts/ (JSON Schema, AsyncAPI, OpenAPI) from the Swift types."
    )

    @Option(help: "The repository root (contracts/ is written below it).")
    var root: String = FileManager.default.currentDirectoryPath

    @Flag(help: "Write nothing; exit 1 if any committed document differs from the generated one.")
    var check = false

    /// The services whose OpenAPI documents are published (the drift test lists the same).
    static let services: [(service: String, document: OpenAPIDocument)] = [
        ("survey-intake", IntakeAPI.openAPI),
        ("reporting", ReportingAPI.openAPI),
    ]

    func run() throws {
        let documents = try ContractDocuments(openAPI: Self.services)
        let folder = URL(fileURLWithPath: root).appendingPathComponent(ContractDocuments.folder)
        let generated = Set(documents.files.map(\.path))
        var differing: [String] = []
        for file in documents.files {
            let url = folder.appendingPathComponent(file.path)
            if (try? Data(contentsOf: url)) != Data(file.bytes) {
                differing.append(file.path)
                if !check {
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(file.bytes).write(to: url)
                }
            }
        }
        for subfolder in ["schemas", "openapi"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(subfolder).path)) ?? []
            for name in names.sorted() where name.hasSuffix(".json") && !generated.contains("\(subfolder)/\(name)") {
                differing.append("\(subfolder)/\(name) (no longer generated)")
                if !check { try FileManager.default.removeItem(at: folder.appendingPathComponent("\(subfolder)/\(name)")) }
            }
        }
        for path in differing { print("\(check ? "differs" : "wrote"): \(ContractDocuments.folder)/\(path)") }
        print("contracts-gen: \(documents.files.count) documents, \(differing.count) \(check ? "differ" : "changed")")
        if check && !differing.isEmpty { throw ExitCode(1) }
    }
}
