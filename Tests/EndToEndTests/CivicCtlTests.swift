import CivicTesting
import Foundation
import Testing

/// `civicctl score` as analysts run it: JSON lines in, one JSON line out per input, in order.
@Suite struct CivicCtlTests {
    private func run(_ arguments: [String], input: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = RepositoryLayout.binaries.appendingPathComponent("civicctl")
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try ProcessLauncher.run(process)
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func scoreReadsJSONLinesAndAnswersInOrder() throws {
        let input = """
            {"id": "a", "text": "The service was good."}
            {"id": 2, "text": "The service was bad."}
            {"id": "es", "text": "El servicio fue bueno.", "locale": "es-MX"}

            """
        let (status, output) = try run(["score"], input: input)
        #expect(status == 0)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        // The same four numbers vaderSentiment 3.3.2 gives (../shared/sentiment/rule_probes.jsonl probe-0001/0002).
        #expect(lines[0].hasPrefix(#"{"id": "a", "sentiment": {"neg": 0.0, "neu": 0.508, "pos": 0.492, "compound": 0.4404}"#))
        #expect(lines[1].hasPrefix(#"{"id": 2, "sentiment": {"neg": 0.538, "neu": 0.462, "pos": 0.0, "compound": -0.5423}"#))
        #expect(lines[2].contains(#""sentiment": null"#))
        #expect(lines[2].contains("non_english"))
    }

    @Test func scoreRefusesAMalformedLineWithItsNumber() throws {
        let (status, _) = try run(["score"], input: "{\"id\": 1, \"text\": \"ok\"}\nnot json\n")
        #expect(status != 0)
    }
}
