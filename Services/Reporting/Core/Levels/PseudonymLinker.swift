/// Links a respondent's pseudonyms across key rotations: every event names its current pseudonym and the
/// pseudonyms of the same person under retained older keys, and all of them resolve to one respondent.
///
/// A union-find over the pseudonyms seen; ``respondent(of:)`` answers a stable representative (the
/// smallest pseudonym of the linked set), so results do not depend on the order events arrive in.
struct PseudonymLinker {
    private var parent: [String: String] = [:]

    /// Records that `pseudonym` and each of `previous` are the same respondent.
    mutating func link(_ pseudonym: String, previous: [String]) {
        _ = find(pseudonym)
        for other in previous where !other.isEmpty {
            let a = find(pseudonym)
            let b = find(other)
            if a != b {
                // The smaller pseudonym becomes the representative.
                if a < b { parent[b] = a } else { parent[a] = b }
            }
        }
    }

    /// The representative of the respondent `pseudonym` belongs to.
    mutating func respondent(of pseudonym: String) -> String {
        find(pseudonym)
    }

    private mutating func find(_ pseudonym: String) -> String {
        var root = pseudonym
        while let next = parent[root], next != root { root = next }
        if parent[pseudonym] == nil { parent[pseudonym] = pseudonym }
        // Path compression.
        var node = pseudonym
        while let next = parent[node], next != root {
            parent[node] = root
            node = next
        }
        return root
    }
}
