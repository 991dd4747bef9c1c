/// One agency's quarter as the reports publish it: the measures of every node of its two-way table (the
/// quarter, each service, each channel, each collection) and, for each count a report shows, the nodes where
/// it is withheld (``ComplementarySuppression``).
///
/// The rule, one for every grouping and output: a row's survey figures are withheld when its responses are
/// under the minimum cell size or when withholding them is needed so no small row can be derived from the
/// others; each figure within a shown row is withheld on its own n (the answers, comments or contacts it is
/// computed from) in the same way.
struct PublishedTable {
    typealias Node = ComplementarySuppression.Node

    /// The counts a report shows whose patterns are decided here, by the measure that holds their n.
    static let surveyBases = [Measure.trust, Measure.satisfaction, Measure.v2Respondents, Measure.recommend, Measure.sentiment]

    private let measures: [Node: [String: MeasureTotals]]
    private let withheld: [Node: Set<String>]
    private let minimumCellSize: Int

    /// Collects the leaf rows of `reporting.cell_measures`.
    struct Builder {
        private var cells: [Node: [String: MeasureTotals]] = [:]

        mutating func add(service: String, channel: String, measure: String, totals: MeasureTotals) {
            cells[.cell(service: service, channel: channel), default: [:]][measure, default: MeasureTotals()] += totals
        }

        func table(minimumCellSize: Int) -> PublishedTable {
            PublishedTable(cells: cells, minimumCellSize: minimumCellSize)
        }
    }

    private init(cells: [Node: [String: MeasureTotals]], minimumCellSize: Int) {
        self.minimumCellSize = minimumCellSize
        var measures = cells
        var leaves: [(service: String, channel: String)] = []
        for (node, values) in cells {
            guard case .cell(let service, let channel) = node else { continue }
            leaves.append((service, channel))
            for parent in [Node.total, .service(service), .channel(channel)] {
                for (name, totals) in values { measures[parent, default: [:]][name, default: MeasureTotals()] += totals }
            }
        }
        self.measures = measures
        let suppression = ComplementarySuppression(cells: leaves.sorted { ($0.service, $0.channel) < ($1.service, $1.channel) })
        func counts(_ measure: String) -> [Node: Int] { measures.mapValues { $0[measure]?.n ?? 0 } }

        var withheld: [Node: Set<String>] = [:]
        func record(_ measure: String, _ nodes: Set<Node>) { for node in nodes { withheld[node, default: []].insert(measure) } }
        let rows = suppression.hidden(values: counts(Measure.responses), minimum: minimumCellSize)
        record(Measure.responses, rows)
        let topTwoBox = Set(measures.values.flatMap(\.keys).filter { $0.hasPrefix(Measure.topTwoBoxPrefix) })
        for base in Self.surveyBases + topTwoBox.sorted() {
            record(base, suppression.hidden(values: counts(base), minimum: minimumCellSize, primary: rows))
        }
        // Operations (independent of the survey rows); handle time on its own n.
        let contacts = suppression.hidden(values: counts(Measure.contacts), minimum: minimumCellSize)
        record(Measure.contacts, contacts)
        record(Measure.handle, suppression.hidden(values: counts(Measure.handle), minimum: minimumCellSize, primary: contacts))
        self.withheld = withheld
    }

    /// Whether `node` has a row.
    func has(_ node: Node) -> Bool { measures[node] != nil }

    /// The figures of `node`, withholding what this table withholds there.
    func figures(_ node: Node) -> ReportFigures {
        ReportFigures(measures: measures[node] ?? [:], minimumCellSize: minimumCellSize, withheld: withheld[node] ?? [])
    }

    /// The nodes a grouping shows, in no particular order: per service and/or channel, or the one node the
    /// filters name.
    func nodes(byService: Bool, byChannel: Bool, service: String?, channel: String?) -> [Node] {
        measures.keys.filter { node in
            switch node {
            case .total:
                return !byService && !byChannel && service == nil && channel == nil
            case .service(let name):
                return (byService || service != nil) && !byChannel && channel == nil && (service.map { $0 == name } ?? true)
            case .channel(let name):
                return (byChannel || channel != nil) && !byService && service == nil && (channel.map { $0 == name } ?? true)
            case .cell(let serviceName, let channelName):
                return (byService || service != nil) && (byChannel || channel != nil) && (service.map { $0 == serviceName } ?? true)
                    && (channel.map { $0 == channelName } ?? true)
            }
        }
    }
}
