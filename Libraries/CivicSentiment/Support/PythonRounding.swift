/// Python's `round(x, ndigits)` for the digit counts VADER uses.
///
/// Python rounds the *exact* binary value of `x` to `ndigits` decimals with ties to even,
/// then returns the double nearest to that decimal. Scaling with `x * 10ⁿ` rounds once too
/// early and creates false ties, so the exact product is recovered with an FMA error term:
/// `y + e == x * 10ⁿ` exactly, where `y = fl(x * 10ⁿ)` and `e = fma(x, 10ⁿ, -y)`.
/// Rounding is symmetric, so it is done on the magnitude and the sign is put back
/// (Python also returns `-0.0` for a small negative input).
enum PythonRounding {
    /// Rounds like Python `round(value, digits)` for `digits` in 0...15.
    @inline(__always)
    static func round(_ value: Double, digits: Int) -> Double {
        guard value.isFinite else { return value }
        let scale = powerOfTen(digits)
        let magnitude = Swift.abs(value)
        // 0 and 1 (common VADER outputs) are already rounded.
        if magnitude == 0 || magnitude == 1 { return value }
        let product = magnitude * scale
        // Beyond 2^52 every double is an integer: nothing to round.
        guard product < 4_503_599_627_370_496.0 else { return value }
        // Truncation is floor here: product is non-negative and below 2^52.
        let floorValue = Double(Int64(product))
        // Exact by Sterbenz (product >= 1) or trivially (product < 1, floor 0).
        let fraction = product - floorValue
        var integer = floorValue
        if fraction > 0.5 {
            integer += 1
        } else if fraction == 0.5 {
            // y is a tie; the exact product decides: magnitude * scale == product + error.
            let error = (-product).addingProduct(magnitude, scale)
            if error > 0 {
                integer += 1
            } else if error == 0, Int64(floorValue) & 1 != 0 {
                integer += 1  // a true tie: half to even
            }
        }
        // `fraction < 0.5` cannot reach 0.5 through `error` (|error| <= ulp/2 while the gap to
        // 0.5 is at least one ulp), and the same holds for `fraction > 0.5`.
        let result = integer / scale
        return value.sign == .minus ? -result : result
    }

    @inline(__always)
    private static func powerOfTen(_ digits: Int) -> Double {
        switch digits {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        default: (0..<digits).reduce(1.0) { partial, _ in partial * 10 }
        }
    }
}
