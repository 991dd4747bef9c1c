import CivicInsights

/// One agency's quarter as the themes route publishes it: each collection's theme tally, and for the comments
/// count and each theme's count, the nodes of the two-way table (quarter, services, channels, collections)
/// where it is withheld: under the minimum cell size, or so that no withheld count can be derived from the
/// published ones (``ComplementarySuppression``, the rule of every published figure in reporting).
struct InsightTable {
    typealias Node = ComplementarySuppression.Node

    /// A collection.
    struct Cell: Hashable, Comparable {
        var service: String
        var channel: String

        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.service, lhs.channel) < (rhs.service, rhs.channel) }
    }

    let leaves: [Cell: ThemeTally]
    let suppression: ComplementarySuppression
    /// Nodes whose comments count is withheld (and with it every theme there).
    let hiddenComments: Set<Node>
    /// Per theme, the nodes where its count is withheld.
    let hiddenThemes: [Set<Node>]
    private let themeCount: Int
    private let classCount: Int

    init(leaves: [Cell: ThemeTally], themeCount: Int, classCount: Int, minimumCellSize: Int) {
        self.leaves = leaves
        self.themeCount = themeCount
        self.classCount = classCount
        let cells = leaves.keys.sorted()
        let suppression = ComplementarySuppression(cells: cells.map { ($0.service, $0.channel) })
        self.suppression = suppression
        let comments = Self.nodeValues(cells: leaves.mapValues(\.comments))
        let rows = suppression.hidden(values: comments, minimum: minimumCellSize)
        hiddenComments = rows
        hiddenThemes = (0..<themeCount).map { theme in
            let counts = Self.nodeValues(cells: leaves.mapValues { $0.themes[theme].count })
            return suppression.hidden(values: counts, minimum: minimumCellSize, primary: rows)
        }
    }

    /// Each node's value: the sum over its collections.
    static func nodeValues(cells: [Cell: Int]) -> [Node: Int] {
        var values: [Node: Int] = [:]
        for (cell, value) in cells {
            for node in [Node.total, .service(cell.service), .channel(cell.channel), .cell(service: cell.service, channel: cell.channel)] {
                values[node, default: 0] += value
            }
        }
        return values
    }

    /// Whether `node` has collections here.
    func has(_ node: Node) -> Bool { leaves.keys.contains { Self.node(node, contains: $0) } }

    /// The tally of `node`: its collections' tallies added up.
    func tally(_ node: Node) -> ThemeTally {
        var tally = ThemeTally(themeCount: themeCount, classCount: classCount)
        for (cell, leaf) in leaves.sorted(by: { $0.key < $1.key }) where Self.node(node, contains: cell) { tally.merge(leaf) }
        return tally
    }

    /// Whether collection `cell` is part of `node`.
    static func node(_ node: Node, contains cell: Cell) -> Bool {
        switch node {
        case .total: true
        case .service(let service): service == cell.service
        case .channel(let channel): channel == cell.channel
        case .cell(let service, let channel): service == cell.service && channel == cell.channel
        }
    }

    /// The nodes a grouping shows, in report order: per service and/or channel, or the one node the filters name.
    static func nodes(cells: [Cell], filter: ReportQuery.Filter) -> [Node] {
        let byService = filter.byService || filter.service != nil
        let byChannel = filter.byChannel || filter.channel != nil
        let matching = cells.filter { cell in
            (filter.service.map { $0 == cell.service } ?? true) && (filter.channel.map { $0 == cell.channel } ?? true)
        }
        guard !matching.isEmpty else { return [] }
        switch (byService, byChannel) {
        case (false, false): return [.total]
        case (true, false): return Set(matching.map(\.service)).sorted().map(Node.service)
        case (false, true): return Set(matching.map(\.channel)).sorted().map(Node.channel)
        case (true, true): return matching.sorted().map { .cell(service: $0.service, channel: $0.channel) }
        }
    }

    /// The service and channel a node names.
    static func names(_ node: Node) -> (service: String?, channel: String?) {
        switch node {
        case .total: (nil, nil)
        case .service(let service): (service, nil)
        case .channel(let channel): (nil, channel)
        case .cell(let service, let channel): (service, channel)
        }
    }
}
