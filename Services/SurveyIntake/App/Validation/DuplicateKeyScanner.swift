import CivicJSON
import CivicModels

/// Finds the first object key that appears twice in the same JSON object.
///
/// Foundation's JSON parsers keep one of the values silently, so a response with `"trust"` twice could be
/// counted either way; intake refuses it instead. The scanner runs on bytes that already parsed as JSON,
/// walks them once with the project's JSON reader (``CivicJSON/JSONScanner``), and compares keys by their
/// decoded code points (so `"a"` and `"\u0061"` are the same key, as JSON says).
///
/// It runs on every submission, so it allocates little: a key without escapes is compared as a slice of the
/// input, small objects are searched linearly, and the dotted path is only spelled out for a duplicate.
enum DuplicateKeyScanner {
    /// Objects with more keys than this are checked through a hash set instead of a linear search.
    private static let linearSearchLimit = 16

    /// The keys of one object seen so far.
    private struct Keys {
        var keys: [ArraySlice<UInt8>] = []
        var keySet: Set<ArraySlice<UInt8>>?

        /// Records `key`; `false` if the object already has it.
        mutating func insert(_ key: ArraySlice<UInt8>) -> Bool {
            if var keySet {
                self.keySet = nil  // keep the set uniquely referenced while it is mutated
                let inserted = keySet.insert(key).inserted
                self.keySet = keySet
                return inserted
            }
            if keys.contains(key) { return false }
            keys.append(key)
            if keys.count > DuplicateKeyScanner.linearSearchLimit {
                keySet = Set(keys)
                keys = []
            }
            return true
        }
    }

    /// The dotted path of the first repeated key (for example `answers.trust`), or `nil` when every key
    /// is unique within its object (or the bytes are not JSON).
    static func firstDuplicate(in bytes: [UInt8]) -> String? {
        var scanner = JSONScanner(bytes)
        var path: [ArraySlice<UInt8>] = []
        var duplicate: [ArraySlice<UInt8>]?
        _ = walk(&scanner, path: &path, duplicate: &duplicate, depth: 0)
        return duplicate.map { $0.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".") }
    }

    /// Walks one value; `false` stops the walk (a duplicate was found, or the value is unreadable).
    private static func walk(
        _ scanner: inout JSONScanner,
        path: inout [ArraySlice<UInt8>],
        duplicate: inout [ArraySlice<UInt8>]?,
        depth: Int
    ) -> Bool {
        guard depth < JSONScanner.maximumDepth, let next = scanner.peek() else { return false }
        switch next {
        case UInt8(ascii: "{"):
            var keys = Keys()
            // Keys are read leniently (a lone surrogate escape as U+FFFD), as the parser before us read them.
            return scanner.object(readingKeysLeniently: true) { scanner, key in
                guard keys.insert(key) else {
                    duplicate = path + [key]
                    return false
                }
                path.append(key)
                defer { path.removeLast() }
                return walk(&scanner, path: &path, duplicate: &duplicate, depth: depth + 1)
            }
        case UInt8(ascii: "["):
            return scanner.array { walk(&$0, path: &path, duplicate: &duplicate, depth: depth + 1) }
        default:
            return scanner.skipValue()
        }
    }
}
