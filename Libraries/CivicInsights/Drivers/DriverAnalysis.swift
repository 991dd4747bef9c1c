/// Key-driver analysis: how much of an outcome's variance (R² of a least-squares regression) each predictor
/// accounts for, by dominance analysis.
///
/// A predictor is a group of columns (one for a Likert answer or a theme's presence; one per level but the
/// first for a category such as the channel). Its weight is its general dominance, the Shapley value of R²:
/// its added R² over every subset of the other predictors, averaged with Shapley's weights
/// (`|S|! (p - |S| - 1)! / p!`), so the weights add up to the full model's R². With p predictors that is 2^p
/// regressions, each solved from the covariance matrix (Cholesky; a column without variance is left out). The
/// coefficient of a one-column predictor in the full model is reported too (the change in the outcome per
/// point, or with the theme). Intervals are 95% bootstrap percentile intervals over
/// ``DriverSettings/bootstrapSamples`` resamples of the respondents, drawn by a seeded generator, so the same
/// rows give the same figures.
///
/// What it can say: which answers go together with the outcome, and how strongly, in these respondents. What it
/// cannot: cause (a driver may stand for something unmeasured that moves both), nor anything about people who
/// did not answer.
package struct DriverAnalysis: Sendable {
    /// One predictor: a name and its number of columns.
    package struct Predictor: Sendable, Equatable {
        /// The name published (`ease`, `theme:long wait`, `channel`).
        package var name: String
        /// Its columns in each row.
        package var columns: Int

        /// A predictor.
        package init(name: String, columns: Int = 1) {
            self.name = name
            self.columns = max(1, columns)
        }
    }

    /// One predictor's result.
    package struct Driver: Sendable, Equatable, Codable {
        /// The predictor's name.
        package var name: String
        /// 1 for the predictor with the largest weight.
        package var rank: Int
        /// General dominance: the R² it accounts for, and its 95% interval.
        package var weight: Double
        package var weightLower: Double
        package var weightUpper: Double
        /// Its weight as a share of the full model's R², and the 95% interval of that share.
        package var shareOfR2: Double
        package var shareLower: Double
        package var shareUpper: Double
        /// Its coefficient in the full model and the 95% interval (one-column predictors only).
        package var coefficient: Double?
        package var coefficientLower: Double?
        package var coefficientUpper: Double?
    }

    /// The result of one analysis.
    package struct Result: Sendable, Equatable, Codable {
        /// The respondents it rests on.
        package var n: Int
        /// The full model's R² and its 95% interval.
        package var rSquared: Double
        package var rSquaredLower: Double
        package var rSquaredUpper: Double
        /// The drivers, the largest weight first.
        package var drivers: [Driver]
    }

    /// The settings.
    package let settings: DriverSettings
    /// The predictors, in column order.
    package let predictors: [Predictor]
    private let width: Int
    /// Kept rows: key, then outcome and columns.
    private var keys: [UInt64] = []
    private var values: [Double] = []

    /// Respondents added (including those sampled away).
    package private(set) var added = 0

    /// An analysis of `predictors`.
    package init(predictors: [Predictor], settings: DriverSettings = DriverSettings()) {
        self.settings = settings
        self.predictors = Array(predictors.prefix(settings.maximumPredictors))
        width = 1 + self.predictors.reduce(0) { $0 + $1.columns }
    }

    /// Adds one respondent: `key` identifies it (a hash of its id), `outcome` is the answer explained, and
    /// `columns` its predictors' columns in order (missing columns count 0). Non-finite values are skipped.
    package mutating func add(key: UInt64, outcome: Double, columns: [Double]) {
        guard outcome.isFinite, columns.allSatisfy(\.isFinite) else { return }
        added += 1
        keys.append(key)
        values.append(outcome)
        for index in 0..<(width - 1) { values.append(index < columns.count ? columns[index] : 0) }
        if keys.count >= 2 * max(1, settings.maximumRows) { sample() }
    }

    /// Adds the respondents `other` was given (the same predictors, other respondents).
    package mutating func merge(_ other: DriverAnalysis) {
        guard other.predictors == predictors else { return }
        added += other.added
        keys += other.keys
        values += other.values
        if keys.count >= 2 * max(1, settings.maximumRows) { sample() }
    }

    /// Keeps the rows with the smallest keys, sorted by key.
    private mutating func sample() {
        let order = keys.indices.sorted { (keys[$0], $0) < (keys[$1], $1) }.prefix(max(1, settings.maximumRows))
        var newKeys: [UInt64] = []
        var newValues: [Double] = []
        newKeys.reserveCapacity(order.count)
        newValues.reserveCapacity(order.count * width)
        for row in order {
            newKeys.append(keys[row])
            newValues.append(contentsOf: values[(row * width)..<((row + 1) * width)])
        }
        keys = newKeys
        values = newValues
    }

    /// The analysis, or nil when fewer than ``DriverSettings/minimumN`` respondents were added or nothing varies.
    package func result() -> Result? {
        var copy = self
        copy.sample()
        return copy.analyse()
    }

    private func analyse() -> Result? {
        let n = keys.count
        guard n >= settings.minimumN, n >= 2, !predictors.isEmpty else { return nil }
        var groups: [[Int]] = []
        var next = 1
        for predictor in predictors {
            groups.append(Array(next..<(next + predictor.columns)))
            next += predictor.columns
        }
        let counts = Array(repeating: 1.0, count: n)
        guard let point = fit(weights: counts, groups: groups) else { return nil }
        var rng = SplitMix64(seed: settings.seed)
        var samples: [Fit] = []
        samples.reserveCapacity(settings.bootstrapSamples)
        var weights = Array(repeating: 0.0, count: n)
        for _ in 0..<max(0, settings.bootstrapSamples) {
            for index in weights.indices { weights[index] = 0 }
            for _ in 0..<n { weights[Int(rng.next(below: UInt64(n)))] += 1 }
            if let sample = fit(weights: weights, groups: groups) { samples.append(sample) }
        }
        func interval(_ values: [Double], _ estimate: Double) -> (Double, Double) {
            guard !values.isEmpty else { return (estimate, estimate) }
            let sorted = values.sorted()
            func quantile(_ q: Double) -> Double {
                let position = q * Double(sorted.count - 1)
                let low = Int(position.rounded(.down))
                let high = min(sorted.count - 1, low + 1)
                let fraction = position - Double(low)
                return sorted[low] * (1 - fraction) + sorted[high] * fraction
            }
            return (quantile(0.025), quantile(0.975))
        }
        var drivers: [Driver] = []
        for (index, predictor) in predictors.enumerated() {
            let weightInterval = interval(samples.map { $0.shapley[index] }, point.shapley[index])
            let share = point.rSquared > 0 ? point.shapley[index] / point.rSquared : 0
            let shareInterval = interval(samples.filter { $0.rSquared > 0 }.map { $0.shapley[index] / $0.rSquared }, share)
            var driver = Driver(
                name: predictor.name,
                rank: 0,
                weight: point.shapley[index],
                weightLower: weightInterval.0,
                weightUpper: weightInterval.1,
                shareOfR2: share,
                shareLower: shareInterval.0,
                shareUpper: shareInterval.1
            )
            if predictor.columns == 1, let coefficient = point.coefficients[groups[index][0]] {
                let values = samples.compactMap { $0.coefficients[groups[index][0]] }
                let coefficientInterval = interval(values, coefficient)
                driver.coefficient = coefficient
                driver.coefficientLower = coefficientInterval.0
                driver.coefficientUpper = coefficientInterval.1
            }
            drivers.append(driver)
        }
        drivers.sort { ($0.weight, $1.name) > ($1.weight, $0.name) }
        for index in drivers.indices { drivers[index].rank = index + 1 }
        let r2Interval = interval(samples.map(\.rSquared), point.rSquared)
        return Result(n: n, rSquared: point.rSquared, rSquaredLower: r2Interval.0, rSquaredUpper: r2Interval.1, drivers: drivers)
    }

    private struct Fit {
        var rSquared: Double
        var shapley: [Double]
        /// By column (index 0, the outcome, unused); nil for a column left out.
        var coefficients: [Double?]
    }

    /// R² of every subset of predictors, their Shapley values and the full model's coefficients, with each row
    /// counted `weights[row]` times.
    private func fit(weights: [Double], groups: [[Int]]) -> Fit? {
        let covariance = weightedCovariance(weights: weights)
        let variance = covariance[0]
        guard variance > 1e-12 else { return nil }
        let p = groups.count
        let subsets = 1 << p
        var r2 = Array(repeating: 0.0, count: subsets)
        var full: [Double?] = Array(repeating: nil, count: width)
        for mask in 1..<subsets {
            var columns: [Int] = []
            for g in 0..<p where mask & (1 << g) != 0 { columns += groups[g] }
            let solved = solve(covariance: covariance, columns: columns)
            var explained = 0.0
            for (k, column) in columns.enumerated() { explained += (solved[k] ?? 0) * covariance[column] }
            r2[mask] = min(1, max(0, explained / variance))
            if mask == subsets - 1 { for (k, column) in columns.enumerated() { full[column] = solved[k] } }
        }
        // Shapley weights by subset size.
        var factorial = [1.0]
        for k in 1...max(1, p) { factorial.append(factorial[k - 1] * Double(k)) }
        var shapley = Array(repeating: 0.0, count: p)
        for g in 0..<p {
            let bit = 1 << g
            for mask in 0..<subsets where mask & bit == 0 {
                let size = mask.nonzeroBitCount
                let weight = factorial[size] * factorial[p - size - 1] / factorial[p]
                shapley[g] += weight * (r2[mask | bit] - r2[mask])
            }
        }
        return Fit(rSquared: r2[subsets - 1], shapley: shapley, coefficients: full)
    }

    /// The weighted covariance matrix of outcome and columns (`width × width`, row-major).
    private func weightedCovariance(weights: [Double]) -> [Double] {
        let n = keys.count
        var total = 0.0
        var means = Array(repeating: 0.0, count: width)
        values.withUnsafeBufferPointer { rows in
            for row in 0..<n where weights[row] > 0 {
                let w = weights[row]
                total += w
                let base = row * width
                for j in 0..<width { means[j] += w * rows[base + j] }
            }
        }
        guard total > 0 else { return Array(repeating: 0, count: width * width) }
        for j in 0..<width { means[j] /= total }
        var matrix = Array(repeating: 0.0, count: width * width)
        var centred = Array(repeating: 0.0, count: width)
        values.withUnsafeBufferPointer { rows in
            matrix.withUnsafeMutableBufferPointer { out in
                for row in 0..<n where weights[row] > 0 {
                    let w = weights[row]
                    let base = row * width
                    for j in 0..<width { centred[j] = rows[base + j] - means[j] }
                    for j in 0..<width {
                        let a = w * centred[j]
                        if a == 0 { continue }
                        for k in j..<width { out[j * width + k] += a * centred[k] }
                    }
                }
            }
        }
        for j in 0..<width {
            for k in 0..<j { matrix[j * width + k] = matrix[k * width + j] }
        }
        // The outcome's covariance with itself is matrix[0]; with column c, matrix[c] (row 0).
        return matrix
    }

    /// The least-squares coefficients of `columns` (the outcome on them) from the covariance matrix: Cholesky of
    /// the columns' block, a column whose remaining variance is (numerically) zero left out (nil).
    private func solve(covariance: [Double], columns: [Int]) -> [Double?] {
        let m = columns.count
        var l = Array(repeating: 0.0, count: m * m)
        var dropped = Array(repeating: false, count: m)
        for j in 0..<m {
            let diagonal = covariance[columns[j] * width + columns[j]]
            var sum = diagonal
            for k in 0..<j where !dropped[k] { sum -= l[j * m + k] * l[j * m + k] }
            if sum <= 1e-10 * max(1e-12, diagonal) || sum <= 1e-14 {
                dropped[j] = true
                continue
            }
            let root = sum.squareRoot()
            l[j * m + j] = root
            for i in (j + 1)..<max(j + 1, m) {
                var s = covariance[columns[i] * width + columns[j]]
                for k in 0..<j where !dropped[k] { s -= l[i * m + k] * l[j * m + k] }
                l[i * m + j] = s / root
            }
        }
        // Forward: L z = c; back: Lᵀ b = z.
        var z = Array(repeating: 0.0, count: m)
        for i in 0..<m where !dropped[i] {
            var s = covariance[columns[i]]
            for k in 0..<i where !dropped[k] { s -= l[i * m + k] * z[k] }
            z[i] = s / l[i * m + i]
        }
        var b = Array(repeating: 0.0, count: m)
        for i in stride(from: m - 1, through: 0, by: -1) where !dropped[i] {
            var s = z[i]
            for k in (i + 1)..<max(i + 1, m) where !dropped[k] { s -= l[k * m + i] * b[k] }
            b[i] = s / l[i * m + i]
        }
        return (0..<m).map { dropped[$0] ? nil : b[$0] }
    }
}

/// SplitMix64, the resampling generator: fixed by its seed on every platform.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` without modulo bias (Lemire's multiply-shift, with rejection).
    mutating func next(below bound: UInt64) -> UInt64 {
        guard bound > 0 else { return 0 }
        while true {
            let product = next().multipliedFullWidth(by: bound)
            if product.low >= (0 &- bound) % bound { return product.high }
        }
    }
}
