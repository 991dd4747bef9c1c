import CivicJSON
import CivicModels

/// Splits a JSON array into the exact bytes of each element, so each item of a batch is validated, and if
/// rejected kept, as the client sent it.
enum JSONArrayItems {
    /// The byte ranges of the top-level elements of `bytes` (whitespace around them excluded); `nil` when
    /// `bytes` is not one complete JSON array (read with ``CivicJSON/JSONScanner``).
    static func split(_ bytes: [UInt8]) -> [Range<Int>]? {
        var scanner = JSONScanner(bytes)
        var items: [Range<Int>] = []
        let complete = scanner.array { scanner in
            scanner.skipWhitespace()
            let start = scanner.index
            guard scanner.skipValue() else { return false }
            items.append(start..<scanner.index)
            return true
        }
        guard complete, scanner.isAtEnd() else { return nil }
        return items
    }
}
