import CivicInsights
import CivicModels
import CivicPostgres

/// Themes and key drivers of agencies' quarters, read from `reporting.feedback` through a server-side cursor
/// (memory bounded by one batch, whatever the number of comments), published under the rules of every figure
/// in reporting: minimum cell size and complementary suppression.
///
/// Themes are found once per agency and quarter over all its comments (``ThemeExtractor``: four passes), so a
/// theme is the same in every service, channel and collection and its counts add up; each row then counts
/// them (one more pass, over the previous quarter too, for the trend).
package struct InsightsQuery: Sendable {
    let client: PostgresClient
    /// Counts under this size are withheld.
    package let minimumCellSize: Int
    /// Theme extraction's settings (its minimum count is raised to the minimum cell size).
    package let themeSettings: ThemeSettings
    /// Key-driver analysis's settings.
    package let driverSettings: DriverSettings
    /// The most themes used as predictors of trust on A-11 v2 (the most frequent).
    static let themePredictors = 8
    /// The most levels of a category (channel, touchpoint, stage) used as predictors.
    static let categoryLevels = 6
    /// With `versions`: each agency quarter's theme model (four passes over its comments), kept per version of
    /// the quarter, so the themes and drivers routes and the dashboard's panels find the themes once between
    /// changes of the quarter.
    let versions: CellVersions?
    let models: VersionedCache<ModelKey, ThemeModel>

    /// What a theme model depends on.
    struct ModelKey: Hashable, Sendable {
        var agency: String
        var quarter: FiscalQuarter
        var services: [String]
    }

    /// A query on `client`; with `versions`, theme models are kept (at most `keptModels` of them).
    package init(
        client: PostgresClient,
        minimumCellSize: Int,
        themeSettings: ThemeSettings = ThemeSettings(),
        driverSettings: DriverSettings = DriverSettings(),
        versions: CellVersions? = nil,
        keptModels: Int = 64
    ) {
        self.client = client
        self.minimumCellSize = minimumCellSize
        var settings = themeSettings
        settings.minimumCount = max(settings.minimumCount, minimumCellSize)
        self.themeSettings = settings
        self.driverSettings = driverSettings
        self.versions = versions
        self.models = VersionedCache(capacity: versions == nil ? 0 : keptModels) { _ in 1 }
    }

    // MARK: Themes

    /// The themes of `quarter` per the filter's grouping, for the agencies the filter allows.
    /// - Parameter examples: Whether the caller may read example comments of an agency (the analyst role).
    package func themes(_ filter: ReportQuery.Filter, quarter: FiscalQuarter, examples: (String) -> Bool) async throws -> [ThemesReport] {
        var reports: [ThemesReport] = []
        for agency in try await agencies(filter, quarter: quarter) {
            let cells = try await commentCells(agency: agency, quarter: quarter)
            guard !cells.isEmpty else { continue }
            let model = try await model(agency: agency, quarter: quarter, services: Set(cells.map(\.service)).sorted())
            let classCount = InsightClasses.names.count
            var current: [InsightTable.Cell: ThemeTally] = [:]
            var previous: [InsightTable.Cell: ThemeTally] = [:]
            var matcher = ThemeMatcher(model: model)
            let empty = ThemeTally(themeCount: model.themes.count, classCount: classCount)
            try await forEachRow(agency: agency, quarter: quarter, alsoPrevious: true, commentsOnly: true) { row in
                guard let text = row.comment else { return }
                let cell = InsightTable.Cell(service: row.service, channel: row.channel)
                let found = matcher.themes(of: text)
                let classes = InsightClasses.classes(of: row)
                let key = ThemeTally.key(row.eventId)
                if row.quarter == quarter {
                    current[cell, default: empty].add(themes: found, classes: classes, sentiment: row.compound, exampleKey: key, text: text)
                } else {
                    previous[cell, default: empty].add(themes: found, classes: classes, sentiment: row.compound, exampleKey: key, text: text)
                }
            }
            let table = InsightTable(leaves: current, themeCount: model.themes.count, classCount: classCount, minimumCellSize: minimumCellSize)
            let before = InsightTable(leaves: previous, themeCount: model.themes.count, classCount: classCount, minimumCellSize: minimumCellSize)
            let showExamples = examples(agency)
            for node in InsightTable.nodes(cells: Array(current.keys), filter: filter) {
                reports.append(publish(node, agency: agency, quarter: quarter, model: model, table: table, before: before, examples: showExamples))
            }
        }
        return reports
    }

    private func publish(
        _ node: InsightTable.Node,
        agency: String,
        quarter: FiscalQuarter,
        model: ThemeModel,
        table: InsightTable,
        before: InsightTable,
        examples: Bool
    ) -> ThemesReport {
        let names = InsightTable.names(node)
        var report = ThemesReport(
            agency: agency,
            service: names.service,
            channel: names.channel,
            fiscalYear: quarter.fiscalYear,
            quarter: quarter.quarter,
            suppressed: true,
            comments: nil,
            themes: []
        )
        let tally = table.tally(node)
        guard !table.hiddenComments.contains(node), tally.comments >= minimumCellSize else { return report }
        report.suppressed = false
        report.comments = tally.comments
        let previous = before.has(node) && !before.hiddenComments.contains(node) ? before.tally(node) : nil
        for (index, theme) in model.themes.enumerated() {
            let figures = tally.themes[index]
            guard figures.count >= minimumCellSize, !table.hiddenThemes[index].contains(node),
                let share = Proportion(favourable: figures.count, n: tally.comments)
            else { continue }
            var trend: ThemeTrend?
            if let previous, previous.comments > 0 {
                let count = previous.themes[index].count
                if count < minimumCellSize {
                    trend = ThemeTrend(status: "new", change: nil, significant: nil)
                } else if !before.hiddenThemes[index].contains(node), let earlier = Proportion(favourable: count, n: previous.comments) {
                    let change = Trend(from: earlier, to: share)
                    let status = !change.significant ? "steady" : (change.change > 0 ? "rising" : "falling")
                    trend = ThemeTrend(status: status, change: change.change, significant: change.significant)
                }
            }
            report.themes.append(
                PublishedTheme(
                    label: theme.label,
                    terms: theme.terms,
                    count: figures.count,
                    share: share,
                    meanSentiment: figures.meanSentiment,
                    goesWith: theme.classes.compactMap { $0 < model.classNames.count ? model.classNames[$0] : nil },
                    trend: trend,
                    examples: examples ? figures.examples.map(\.text) : nil
                )
            )
        }
        report.themes.sort { ($0.count, $1.label) > ($1.count, $0.label) }
        return report
    }

    // MARK: Key drivers

    /// The analyses of one row.
    private enum Analysis: Int, CaseIterable {
        case v1Trust, v1Satisfaction, v2Trust

        var form: SurveyForm { self == .v2Trust ? .a11v2 : .a11v1 }
        var outcome: String { self == .v1Satisfaction ? "satisfaction" : "trust" }
    }

    /// A category predictor's levels: the first is the reference, rarer levels are counted with it.
    private struct Levels {
        var name: String
        var levels: [String]

        func columns(_ value: String) -> [Double] { levels.dropFirst().map { $0 == value ? 1 : 0 } }
    }

    /// The key drivers of `quarter` per the filter's grouping, for the agencies the filter allows.
    package func drivers(_ filter: ReportQuery.Filter, quarter: FiscalQuarter) async throws -> [DriversReport] {
        var reports: [DriversReport] = []
        for agency in try await agencies(filter, quarter: quarter) {
            let cells = try await responseCells(agency: agency, quarter: quarter)
            guard !cells.isEmpty else { continue }
            let (categories, v2Comments) = try await categoryLevels(agency: agency, quarter: quarter)
            // The themes are read (four passes) only when they can be predictors: A-11 v2 comments.
            let model =
                v2Comments > 0
                ? try await model(agency: agency, quarter: quarter, services: Set(cells.map(\.service)).sorted()) : nil
            let themes = Array((model?.themes ?? []).prefix(Self.themePredictors))
            let v1Trust = InsightClasses.v1Items
            let v1Satisfaction = ["trust"] + InsightClasses.v1Items.dropFirst()
            func predictors(_ analysis: Analysis) -> [DriverAnalysis.Predictor] {
                switch analysis {
                case .v1Trust: return v1Trust.map { .init(name: $0) }
                case .v1Satisfaction: return v1Satisfaction.map { .init(name: $0) }
                case .v2Trust:
                    return themes.map { .init(name: "theme:\($0.label)") } + categories.map { .init(name: $0.name, columns: $0.levels.count - 1) }
                }
            }
            let nodes = InsightTable.nodes(cells: cells, filter: filter)
            var analyses: [InsightTable.Node: [Analysis: DriverAnalysis]] = [:]
            var leafCounts: [Analysis: [InsightTable.Cell: Int]] = [:]
            var matcher = model.map { ThemeMatcher(model: $0) }
            try await forEachRow(agency: agency, quarter: quarter, alsoPrevious: false, commentsOnly: false) { row in
                let cell = InsightTable.Cell(service: row.service, channel: row.channel)
                let key = ThemeTally.key(row.eventId)
                var rows: [(Analysis, Double, [Double])] = []
                switch row.form {
                case .a11v1:
                    let items = v1Trust.compactMap { row.likert[$0] }
                    if let trust = row.trustValue, items.count == v1Trust.count {
                        rows.append((.v1Trust, Double(trust), items.map(Double.init)))
                        if let satisfaction = row.likert["satisfaction"] {
                            let others = [trust] + v1Satisfaction.dropFirst().compactMap { row.likert[$0] }
                            rows.append((.v1Satisfaction, Double(satisfaction), others.map(Double.init)))
                        }
                    }
                case .a11v2:
                    if let favourable = row.trustFavourable, let comment = row.comment, !comment.isEmpty {
                        let found = matcher?.themes(of: comment) ?? 0
                        var columns = themes.indices.map { found & (1 << UInt64($0)) != 0 ? 1.0 : 0.0 }
                        for category in categories {
                            let value: String
                            switch category.name {
                            case "channel": value = row.channel
                            case "touchpoint": value = row.touchpoint ?? ""
                            default: value = row.stage ?? ""
                            }
                            columns += category.columns(value)
                        }
                        rows.append((.v2Trust, favourable ? 1 : 0, columns))
                    }
                case nil:
                    break
                }
                for (analysis, outcome, columns) in rows {
                    leafCounts[analysis, default: [:]][cell, default: 0] += 1
                    for node in nodes where InsightTable.node(node, contains: cell) {
                        analyses[node, default: [:]][analysis, default: DriverAnalysis(predictors: predictors(analysis), settings: driverSettings)]
                            .add(key: key, outcome: outcome, columns: columns)
                    }
                }
            }
            let suppression = ComplementarySuppression(cells: cells.sorted().map { ($0.service, $0.channel) })
            let minimum = max(minimumCellSize, driverSettings.minimumN)
            var hidden: [Analysis: Set<InsightTable.Node>] = [:]
            for (analysis, counts) in leafCounts {
                hidden[analysis] = suppression.hidden(values: InsightTable.nodeValues(cells: counts), minimum: minimum)
            }
            for node in nodes {
                let names = InsightTable.names(node)
                var findings: [DriverFindings] = []
                for analysis in Analysis.allCases {
                    guard let driver = analyses[node]?[analysis] else { continue }
                    var finding = DriverFindings(
                        form: analysis.form.rawValue,
                        outcome: analysis.outcome,
                        predictors: predictors(analysis).map(\.name),
                        suppressed: true,
                        drivers: []
                    )
                    if hidden[analysis]?.contains(node) != true, let result = driver.result() {
                        finding.suppressed = false
                        finding.n = result.n
                        finding.rSquared = result.rSquared
                        finding.rSquaredLower = result.rSquaredLower
                        finding.rSquaredUpper = result.rSquaredUpper
                        finding.drivers = result.drivers
                    }
                    findings.append(finding)
                }
                reports.append(
                    DriversReport(
                        agency: agency,
                        service: names.service,
                        channel: names.channel,
                        fiscalYear: quarter.fiscalYear,
                        quarter: quarter.quarter,
                        analyses: findings
                    )
                )
            }
        }
        return reports
    }

    // MARK: Reading

    /// The agencies to report on: the filter's agency, or those with responses in the quarter, among the caller's.
    private func agencies(_ filter: ReportQuery.Filter, quarter: FiscalQuarter) async throws -> [String] {
        if let agency = filter.agency { return filter.agencies.contains(agency) ? [agency] : [] }
        let rows = try await client.query(
            """
            SELECT DISTINCT agency FROM reporting.feedback
            WHERE fiscal_year = $1 AND fiscal_quarter = $2 AND NOT excluded AND ($3::text[] IS NULL OR agency = ANY($3))
            ORDER BY agency
            """,
            [quarter.fiscalYear, quarter.quarter, filter.agencies.parameter]
        )
        return try rows.rows.map { try $0.require("agency") }
    }

    /// The collections of an agency's quarter with at least one comment.
    private func commentCells(agency: String, quarter: FiscalQuarter) async throws -> [InsightTable.Cell] {
        try await cells(agency: agency, quarter: quarter, condition: "AND coalesce(\(InsightRow.answer("comment")), '') <> ''")
    }

    /// The collections of an agency's quarter with at least one response.
    private func responseCells(agency: String, quarter: FiscalQuarter) async throws -> [InsightTable.Cell] {
        try await cells(agency: agency, quarter: quarter, condition: "")
    }

    private func cells(agency: String, quarter: FiscalQuarter, condition: String) async throws -> [InsightTable.Cell] {
        let rows = try await client.query(
            """
            SELECT DISTINCT f.service, f.channel FROM reporting.feedback f
            WHERE f.agency = $1 AND f.fiscal_year = $2 AND f.fiscal_quarter = $3 AND NOT f.excluded \(condition)
            ORDER BY service, channel
            """,
            [agency, quarter.fiscalYear, quarter.quarter]
        )
        return try rows.rows.map { InsightTable.Cell(service: try $0.require("service"), channel: try $0.require("channel")) }
    }

    /// The levels of channel, touchpoint and journey stage among an agency's quarter's commented A-11 v2
    /// responses: levels with at least the minimum cell size of responses, the most frequent first (the
    /// reference); a category with fewer than two such levels is no predictor.
    /// Also the number of those responses.
    private func categoryLevels(agency: String, quarter: FiscalQuarter) async throws -> (levels: [Levels], responses: Int) {
        let rows = try await client.query(
            """
            SELECT f.channel, coalesce(\(InsightRow.answer("touchpoint")), '') AS touchpoint, coalesce(f.stage, '') AS stage, count(*) AS n
            FROM reporting.feedback f
            WHERE f.agency = $1 AND f.fiscal_year = $2 AND f.fiscal_quarter = $3 AND NOT f.excluded AND f.form = 'a11-v2'
              AND coalesce(\(InsightRow.answer("comment")), '') <> ''
            GROUP BY 1, 2, 3
            """,
            [agency, quarter.fiscalYear, quarter.quarter]
        )
        var counts: [String: [String: Int]] = [:]
        var responses = 0
        for row in rows.rows {
            let n: Int = try row.require("n")
            responses += n
            for name in ["channel", "touchpoint", "stage"] { counts[name, default: [:]][try row.require(name, as: String.self), default: 0] += n }
        }
        let levels = ["channel", "touchpoint", "stage"].compactMap { name -> Levels? in
            let levels = (counts[name] ?? [:]).filter { $0.value >= minimumCellSize }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                .map(\.key)
            return levels.count >= 2 ? Levels(name: name, levels: Array(levels.prefix(Self.categoryLevels + 1))) : nil
        }
        return (levels, responses)
    }

    /// The themes of an agency's quarter: four passes over its comments.
    private func model(agency: String, quarter: FiscalQuarter, services: [String]) async throws -> ThemeModel {
        guard let versions else { return try await findModel(agency: agency, quarter: quarter, services: services) }
        let stamp = try await versions.stamp(agency: agency, agencies: .all, quarters: [quarter])
        let key = ModelKey(agency: agency, quarter: quarter, services: services)
        return try await models.value(for: key, at: stamp) {
            try await findModel(agency: agency, quarter: quarter, services: services)
        }.value
    }

    /// Finds the themes of an agency's quarter: four passes over its comments.
    private func findModel(agency: String, quarter: FiscalQuarter, services: [String]) async throws -> ThemeModel {
        var settings = themeSettings
        settings.excludedWords += [agency] + services
        var discovery = ThemeDiscovery(extractor: ThemeExtractor(settings: settings, classNames: InsightClasses.names))
        while true {
            try await forEachRow(agency: agency, quarter: quarter, alsoPrevious: false, commentsOnly: true) { row in
                discovery.add(ThemeComment(text: row.comment ?? "", classes: InsightClasses.classes(of: row)))
            }
            if let model = discovery.finishPass() { return model }
        }
    }

    /// One pass of the analyses' read over an agency's quarter: every response decoded as they read it, and
    /// nothing computed. Every themes analysis makes five such passes (four with comments only), a drivers
    /// analysis one or two; the benchmarks measure it as the floor under the routes.
    /// - Parameter fromPayload: Whether to read every answer from `payload` (as before migration 19) rather than
    ///   from its column: the benchmarks' comparison.
    /// - Returns: The rows read.
    package func readPass(agency: String, quarter: FiscalQuarter, fromPayload: Bool = false) async throws -> Int {
        var rows = 0
        try await forEachRow(
            agency: agency,
            quarter: quarter,
            alsoPrevious: false,
            commentsOnly: false,
            from: fromPayload ? .payload : .columns
        ) { row in
            if !row.eventId.isEmpty { rows += 1 }
        }
        return rows
    }

    /// Reads an agency's responses of `quarter` (and the previous quarter's) in event order, a batch at a time.
    private func forEachRow(
        agency: String,
        quarter: FiscalQuarter,
        alsoPrevious: Bool,
        commentsOnly: Bool,
        from source: InsightRow.Source = .columns,
        _ body: (InsightRow) throws -> Void
    ) async throws {
        let other = alsoPrevious ? quarter.previous : quarter
        try await client.forEachBatch(
            InsightRow.select(commentsOnly: commentsOnly, from: source),
            [agency, quarter.fiscalYear, quarter.quarter, other.fiscalYear, other.quarter],
            batchSize: 2_000
        ) { batch in
            for row in batch.rows { try body(try InsightRow(row)) }
        }
    }
}
