/// Complementary (secondary) suppression of one agency's quarter: which figures to withhold so that no withheld
/// value can be derived from the published ones.
///
/// The published rows of an agency's quarter form a two-way table: one node for the quarter, one per service,
/// one per channel and one per (service, channel) cell, related by the sums the reports make public (the
/// quarter is the sum of its services and of its channels, a service the sum of its cells, a channel the sum of
/// its cells). A count under the minimum is withheld (primary suppression); then, while some withheld node's
/// value follows from the published ones by any combination of those sums (not only a single subtraction:
/// ``determined(hidden:)`` solves the whole linear system), one more published node is withheld: the one that
/// leaves the fewest values derivable, the smallest on a tie. Each additive count a report shows (responses, each figure's own n) gets its own pattern.
struct ComplementarySuppression {
    /// A row of the two-way table.
    enum Node: Hashable, Comparable {
        /// The agency's quarter.
        case total
        /// One service.
        case service(String)
        /// One channel.
        case channel(String)
        /// One service in one channel (a collection).
        case cell(service: String, channel: String)
    }

    /// One published sum: `total` is the sum of `parts`.
    struct Line {
        var total: Node
        var parts: [Node]
    }

    /// Every node that has a row, and the sums between them.
    let nodes: [Node]
    let lines: [Line]

    /// The table of the collections `cells` (service, channel) of one agency's quarter.
    init(cells: [(service: String, channel: String)]) {
        let services = Set(cells.map(\.service)).sorted()
        let channels = Set(cells.map(\.channel)).sorted()
        var lines = [
            Line(total: .total, parts: services.map(Node.service)),
            Line(total: .total, parts: channels.map(Node.channel)),
        ]
        for service in services {
            lines.append(
                Line(total: .service(service), parts: cells.filter { $0.service == service }.map { .cell(service: $0.service, channel: $0.channel) })
            )
        }
        for channel in channels {
            lines.append(
                Line(total: .channel(channel), parts: cells.filter { $0.channel == channel }.map { .cell(service: $0.service, channel: $0.channel) })
            )
        }
        self.lines = lines
        self.nodes =
            [.total] + services.map(Node.service) + channels.map(Node.channel) + cells.map { .cell(service: $0.service, channel: $0.channel) }
    }

    /// The nodes whose count is withheld: those in `primary` and those under `minimum`, then as many more as it
    /// takes that no withheld count other than a zero can be derived.
    ///
    /// A count of 0 is no disclosure (no respondent is in it), so it is treated as known: a row withheld for
    /// having no responses at all may be recognised as empty, and it protects nothing as a complement.
    /// - Parameters:
    ///   - values: Each node's count (a node absent counts 0).
    ///   - minimum: The minimum cell size.
    ///   - primary: Nodes withheld for another reason (the row they belong to is withheld).
    func hidden(values: [Node: Int], minimum: Int, primary: Set<Node> = []) -> Set<Node> {
        var hidden = primary
        for node in nodes where (values[node] ?? 0) < minimum { hidden.insert(node) }
        // What the solver treats as unknown: withheld counts other than zeros.
        func unknowns(_ hidden: Set<Node>) -> Set<Node> { hidden.filter { (values[$0] ?? 0) != 0 } }
        var exposed = determined(hidden: unknowns(hidden))
        while !exposed.isEmpty {
            // Greedy: withhold the published node that leaves the fewest withheld values derivable, the
            // smallest such count on a tie (it costs the least to withhold). A zero hides nothing, so it is
            // never chosen.
            let candidates = nodes.filter { !hidden.contains($0) && (values[$0] ?? 0) != 0 }
            var best: (node: Node, exposed: Set<Node>)?
            for candidate in candidates {
                let after = determined(hidden: unknowns(hidden.union([candidate])))
                if let current = best {
                    let better =
                        (after.count, values[candidate] ?? 0, candidate) < (current.exposed.count, values[current.node] ?? 0, current.node)
                    if !better { continue }
                }
                best = (candidate, after)
            }
            guard let best else {
                // Nothing left to withhold: withhold every node of the table.
                return Set(nodes)
            }
            hidden.insert(best.node)
            exposed = best.exposed
        }
        return hidden
    }

    /// The withheld nodes whose value follows from the published ones through the sums: Gauss-Jordan
    /// elimination over the withheld values; a withheld value is determined when its pivot row has no free
    /// variable.
    func determined(hidden: Set<Node>) -> Set<Node> {
        let unknowns = nodes.filter { hidden.contains($0) }
        guard !unknowns.isEmpty else { return [] }
        let column = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
        var rows: [[Double]] = lines.compactMap { line in
            var row = [Double](repeating: 0, count: unknowns.count)
            if let index = column[line.total] { row[index] += 1 }
            for part in line.parts { if let index = column[part] { row[index] -= 1 } }
            return row.contains { $0 != 0 } ? row : nil
        }
        var pivots: [(row: Int, column: Int)] = []
        var rank = 0
        for col in 0..<unknowns.count where rank < rows.count {
            guard let pivot = (rank..<rows.count).max(by: { abs(rows[$0][col]) < abs(rows[$1][col]) }), abs(rows[pivot][col]) > 1e-9 else {
                continue
            }
            rows.swapAt(rank, pivot)
            let scale = rows[rank][col]
            rows[rank] = rows[rank].map { $0 / scale }
            for other in 0..<rows.count where other != rank && abs(rows[other][col]) > 1e-9 {
                let factor = rows[other][col]
                for k in 0..<unknowns.count { rows[other][k] -= factor * rows[rank][k] }
            }
            pivots.append((rank, col))
            rank += 1
        }
        var result: Set<Node> = []
        for (row, col) in pivots where (0..<unknowns.count).allSatisfy({ $0 == col || abs(rows[row][$0]) <= 1e-9 }) {
            result.insert(unknowns[col])
        }
        return result
    }
}
