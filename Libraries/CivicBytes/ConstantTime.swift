/// Comparisons of secrets whose duration does not depend on where the inputs differ.
package enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes; inputs of different lengths are unequal (the length itself is
    /// not secret: callers compare fixed-size digests).
    package static func equal(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
