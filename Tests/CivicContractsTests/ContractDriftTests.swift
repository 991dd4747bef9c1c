import CivicContracts
import CivicTestTraits
import Foundation
import Testing

/// The committed documents under contracts/ are exactly what the Swift types generate today.
@Suite(.hangGuard) struct ContractDriftTests {
    @Test func committedDocumentsMatchTheSwiftTypes() throws {
        let documents = try Published.documents()
        #expect(documents.files.count == EventCatalog.all.count + 3)
        for file in documents.files {
            let url = Published.folder.appendingPathComponent(file.path)
            let committed = try? Data(contentsOf: url)
            #expect(
                committed == Data(file.bytes),
                "contracts/\(file.path) \(committed == nil ? "is missing" : "differs from the Swift types"); run ops/contracts and commit the result"
            )
        }
    }

    @Test func noStaleDocumentsAreCommitted() throws {
        let generated = Set(try Published.documents().files.map(\.path))
        for subfolder in ["schemas", "openapi"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: Published.folder.appendingPathComponent(subfolder).path)
            for name in names {
                #expect(generated.contains("\(subfolder)/\(name)"), "contracts/\(subfolder)/\(name) is no longer generated; run ops/contracts")
            }
        }
    }

    @Test func generationIsDeterministic() throws {
        let first = try Published.documents().files.map(\.bytes)
        let second = try Published.documents().files.map(\.bytes)
        #expect(first == second)
    }
}
