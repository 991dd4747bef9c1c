import CivicTestTraits
import Foundation
import Testing

@testable import ReportingCore
@testable import ReportingDashboard

/// The dashboard's parts without a server: palette contrast, filter errors, the display rule, and the
/// rendered page (escaping, suppression, the hooks for figures the report model does not carry yet).
@Suite(.hangGuard) struct DashboardRenderingTests {
    static let quarter = FiscalQuarter(fiscalYear: 2027, quarter: 1)

    /// WCAG 2.1 contrast computed from the published `#rrggbb`, independently of PaletteColour's own.
    static func contrast(_ a: PaletteColour, _ b: PaletteColour) -> Double {
        func luminance(_ colour: PaletteColour) -> Double {
            let hex = String(colour.description.dropFirst())
            let value = UInt32(hex, radix: 16) ?? 0
            let linear = [value >> 16, value >> 8, value].map { channel -> Double in
                let c = Double(channel & 0xFF) / 255
                return c <= 0.039_28 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
        }
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    @Test func everyPalettePairMeetsWCAGAA() {
        #expect(Palette.ink.description == "#1b1b1b")
        #expect(abs(Self.contrast(Palette.ink, Palette.paper) - 17.22) < 0.01)
        for (foreground, background) in Palette.pairs {
            let ratio = Self.contrast(foreground, background)
            #expect(ratio >= 4.5, "\(foreground.name) on \(background.name): \(ratio)")
            #expect(abs(foreground.contrastRatio(against: background) - ratio) < 1e-9)
        }
        // Every colour is published to the CSS.
        for colour in Palette.all { #expect(Palette.customProperties.contains("--\(colour.name): \(colour);")) }
    }

    @Test(arguments: [
        (["fiscalYear": "twenty"], "fiscalYear"), (["fiscalYear": "20270"], "fiscalYear"),
        (["fiscalYear": "2027", "quarter": "0"], "quarter"), (["fiscalYear": "2027", "quarter": "Q1"], "quarter"),
        (["quarter": "1"], "quarter"), (["agency": "IRS OR 1"], "agency"), (["agency": "<script>"], "agency"),
        (["agency": String(repeating: "A", count: 33)], "agency"),
    ])
    func malformedFilterNamesTheParameter(query: [String: String], field: String) {
        let error = #expect(throws: DashboardError.self) { try DashboardFilter { query[$0] } }
        #expect(error?.field == field, "\(query)")
        #expect(error?.reason.isEmpty == false)
    }

    @Test func emptyFilterValuesMeanLatestAndAll() throws {
        let filter = try DashboardFilter { ["agency": "", "fiscalYear": " ", "quarter": ""][$0] }
        #expect(filter == DashboardFilter())
        let chosen = try DashboardFilter { ["agency": "IRS", "fiscalYear": "2027", "quarter": "2"][$0] }
        #expect(chosen == DashboardFilter(agency: "IRS", fiscalYear: 2027, quarter: 2))
    }

    @Test func figuresFollowTheDocumentedRule() {
        #expect(FigureFormat.percent(0.724) == "72%")
        #expect(FigureFormat.percent(0.125) == "13%")  // half away from zero
        #expect(FigureFormat.percent(1) == "100%")
        #expect(FigureFormat.interval(0.5549, 0.8801) == "55–88%")
        #expect(FigureFormat.signedWhole(12.4) == "+12")
        #expect(FigureFormat.signedWhole(-0.4) == "0")
        #expect(FigureFormat.signedWhole(-50) == "-50")
        #expect(FigureFormat.signedHundredths(0.4213) == "+0.42")
        #expect(FigureFormat.signedHundredths(-0.104) == "-0.10")
        #expect(FigureFormat.signedHundredths(0.001) == "0.00")
        #expect(FigureFormat.duration(seconds: 312.4) == "5m 12s")
        #expect(FigureFormat.duration(seconds: 59.6) == "1m 0s")
        #expect(FigureFormat.duration(seconds: 42) == "42s")
        #expect(FigureFormat.count(1_234_567) == "1,234,567")
        #expect(FigureFormat.count(999) == "999")
        #expect(FigureFormat.suppressed(minimumCellSize: 10) == "Suppressed (n < 10)")
    }

    private func render(_ cells: [DashboardCell], filter: DashboardFilter = DashboardFilter()) throws -> String {
        let page = DashboardPage(filter: filter, overview: [], cells: cells, minimumCellSize: 10)
        return try DashboardTemplates().render(page)
    }

    private func cell(service: String, suppressed: Bool = false) -> DashboardCell {
        DashboardCell(
            agency: "IRS",
            service: service,
            quarter: Self.quarter,
            suppressed: suppressed,
            responses: suppressed ? nil : 40,
            drivers: [.init(key: "trust", label: "Trust", proportion: suppressed ? nil : Proportion(favourable: 30, n: 40))]
        )
    }

    @Test func textFromTheDataIsEscaped() throws {
        let html = try render([cell(service: "<script>alert('x')</script>")])
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
    }

    @Test func aSuppressedCellHasNoNumberInItsMarkup() throws {
        let html = try render([cell(service: "free-file", suppressed: true)])
        let start = try #require(html.range(of: "<article")?.lowerBound)
        let end = try #require(html.range(of: "</article>")?.upperBound)
        let card = String(html[start..<end])
        #expect(card.contains("Suppressed (n &lt; 10)"))
        let rest = card.replacingOccurrences(of: "Suppressed (n &lt; 10)", with: "").replacing(/<\/?h[1-6]\b/, with: "")
        #expect(!rest.contains { $0.isNumber }, "\(rest)")
        #expect(!card.contains("<svg"))
    }

    @Test func sentimentSharesEmotionsAndJourneyFunnelRenderWhenTheModelCarriesThem() throws {
        var full = cell(service: "free-file")
        full.sentimentShares = .init(positive: 0.6, neutral: 0.25, negative: 0.15)
        full.emotions = [.init(emotion: "joy", share: 0.3), .init(emotion: "anger", share: 0.125)]
        full.journeyFunnel = [.init(stage: "apply", reached: 80), .init(stage: "decision", reached: 52)]
        let html = try render([full])
        for (figure, text) in [
            ("sentiment.positive", "60%"), ("sentiment.neutral", "25%"), ("sentiment.negative", "15%"), ("emotion.joy", "30%"),
            ("emotion.anger", "13%"), ("journey.apply.reached", "80"), ("journey.decision.share", "65%"), ("trust.share", "75%"),
        ] {
            #expect(html.contains("data-figure=\"\(figure)\" data-cell=\"IRS/free-file\">\(text)<"), "\(figure)")
        }
        let charts = html.components(separatedBy: "<svg").count - 1
        #expect(charts == 5)  // drivers, trend, sentiment, emotions, funnel
        #expect(html.components(separatedBy: "role=\"img\"").count - 1 == charts)
        #expect(html.components(separatedBy: "<title id=").count - 1 == charts)
        #expect(html.components(separatedBy: "<desc id=").count - 1 == charts)
        // Without them the sections are absent, not empty.
        let plain = try render([cell(service: "free-file")])
        #expect(!plain.contains("Emotions in comments") && !plain.contains("Journey funnel"))
    }

    @Test func theLatestQuarterIsShownUnlessOneIsChosen() throws {
        var older = cell(service: "free-file")
        older.quarter = FiscalQuarter(fiscalYear: 2026, quarter: 4)
        older.responses = 12
        let latest = try render([older, cell(service: "free-file")])
        #expect(latest.contains("<h1>Customer experience, FY2027 Q1</h1>"))
        #expect(latest.contains("data-figure=\"responses\" data-cell=\"IRS/free-file\">40<"))
        let chosen = try render([older, cell(service: "free-file")], filter: DashboardFilter(fiscalYear: 2026, quarter: 4))
        #expect(chosen.contains("data-figure=\"responses\" data-cell=\"IRS/free-file\">12<"))
        let none = try render([older], filter: DashboardFilter(fiscalYear: 2020, quarter: 1))
        #expect(none.contains("No responses match this selection."))
    }
}
