import CivicTestTraits
import Foundation
import Testing

@testable import CivicSentiment

@Suite("VADER rule probes", .hangGuard)
struct RuleProbeTests {
    struct Probe: Decodable {
        var id: String
        var text: String
        var source: String
        var vader: SentimentScores
    }

    static func loadProbes() throws -> [Probe] {
        let url = try #require(Bundle.module.url(forResource: "rule_probes", withExtension: "jsonl", subdirectory: "Data"))
        let data = try Data(contentsOf: url)
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(Probe.self, from: Data($0)) }
    }

    @Test("All 308 probes from rule_probes.jsonl match exactly")
    func allProbesMatch() throws {
        let probes = try Self.loadProbes()
        #expect(probes.count == 308)
        let analyzer = try VaderSentimentAnalyzer()
        var failures = 0
        for probe in probes {
            let got = analyzer.polarityScores(probe.text)
            if !got.isBitwiseIdentical(to: probe.vader) {
                failures += 1
                Issue.record("\(probe.id) \(probe.source): text=\(probe.text.debugDescription) expected=\(probe.vader) got=\(got)")
            }
        }
        #expect(failures == 0)
    }
}
