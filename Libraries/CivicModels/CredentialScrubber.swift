/// Takes identity credentials out of bytes that are kept or passed on for people to read: rejections and
/// dead letters (``RejectedFeedback``).
///
/// Two passes, both linear and total on any bytes (JSON or not, truncated or not):
/// 1. the value of every JSON member named like a credential (``credentialKeys``, compared without case,
///    `_` or `-`: `identity`, `idToken`, `id_token`, `accessToken`, ...) becomes `"[REMOVED]"`, at any depth, so
///    the rest of the submission stays byte for byte what was sent;
/// 2. anything shaped like a compact JWS/JWT (`eyJ…` then one or two more dot-separated base64url parts)
///    becomes `[TOKEN]`, wherever it is: inside a comment, in bytes that are not JSON, in a truncated member.
package enum CredentialScrubber {
    /// Member names whose values are credentials, lower-cased without `_` and `-`.
    package static let credentialKeys: Set<String> = [
        "identity", "idtoken", "accesstoken", "refreshtoken", "authorization", "bearer", "password", "secret",
    ]

    /// The placeholder for a removed member value (a JSON string).
    package static let removedValue: [UInt8] = Array(#""[REMOVED]""#.utf8)
    /// The placeholder for a token-shaped run of bytes.
    package static let tokenPlaceholder: [UInt8] = Array("[TOKEN]".utf8)

    /// `bytes` without credentials; the same bytes when there were none.
    package static func scrub(_ bytes: [UInt8]) -> [UInt8] {
        scrubTokens(scrubMembers(bytes))
    }

    /// `text` without credentials (both passes, as for bytes).
    package static func scrub(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let scrubbed = scrub(bytes)
        return scrubbed == bytes ? text : String(decoding: scrubbed, as: UTF8.self)
    }

    // MARK: Members

    private static func scrubMembers(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var copied = 0
        var index = 0
        let count = bytes.count
        while index < count {
            guard bytes[index] == UInt8(ascii: "\"") else {
                index += 1
                continue
            }
            let keyStart = index
            let keyEnd = stringEnd(bytes, from: index)
            // A string followed by `:` is a member name.
            var next = keyEnd
            while next < count, isWhitespace(bytes[next]) { next += 1 }
            guard next < count, bytes[next] == UInt8(ascii: ":"), isCredentialKey(bytes[(keyStart + 1)..<max(keyStart + 1, keyEnd - 1)])
            else {
                index = keyEnd
                continue
            }
            var valueStart = next + 1
            while valueStart < count, isWhitespace(bytes[valueStart]) { valueStart += 1 }
            let valueEnd = self.valueEnd(bytes, from: valueStart)
            output.append(contentsOf: bytes[copied..<valueStart])
            output.append(contentsOf: removedValue)
            copied = valueEnd
            index = valueEnd
        }
        guard copied > 0 else { return bytes }
        output.append(contentsOf: bytes[copied...])
        return output
    }

    /// The index after the string that starts with the quote at `start` (the end of `bytes` when unterminated).
    private static func stringEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return bytes.count
    }

    /// The index after the JSON value that starts at `start`: a string, an object or array (balanced, strings
    /// skipped), or a scalar up to the next `,`, `}`, `]` or white space.
    private static func valueEnd(_ bytes: [UInt8], from start: Int) -> Int {
        guard start < bytes.count else { return bytes.count }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return stringEnd(bytes, from: start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index = stringEnd(bytes, from: index)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default:
                    break
                }
                index += 1
            }
            return bytes.count
        default:
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || isWhitespace(byte) { break }
                index += 1
            }
            return index
        }
    }

    private static func isCredentialKey(_ name: ArraySlice<UInt8>) -> Bool {
        guard name.count <= 40 else { return false }
        var folded: [UInt8] = []
        folded.reserveCapacity(name.count)
        for byte in name where byte != UInt8(ascii: "_") && byte != UInt8(ascii: "-") {
            folded.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte)
        }
        return credentialKeys.contains(String(decoding: folded, as: UTF8.self))
    }

    // MARK: Tokens

    /// The shortest first part taken for a token header (`{"alg":"none"}` is 20 base64url characters).
    private static let minimumHeaderLength = 16

    private static func scrubTokens(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var copied = 0
        var index = 0
        let count = bytes.count
        while index + 3 < count {
            guard bytes[index] == UInt8(ascii: "e"), bytes[index + 1] == UInt8(ascii: "y"), bytes[index + 2] == UInt8(ascii: "J"),
                index == 0 || !isBase64URL(bytes[index - 1])
            else {
                index += 1
                continue
            }
            // header . payload [. signature]: the signature may be empty (an unsecured JWT) or cut off (a
            // truncated input), and header and claims alone still say who signed in.
            var end = index
            var lengths: [Int] = []
            while lengths.count < 3 {
                let partStart = end
                while end < count, isBase64URL(bytes[end]) { end += 1 }
                lengths.append(end - partStart)
                guard lengths.count < 3, end < count, bytes[end] == UInt8(ascii: ".") else { break }
                end += 1
            }
            guard lengths.count >= 2, lengths[0] >= minimumHeaderLength, lengths[1] >= 2 else {
                index = max(index + 1, end)
                continue
            }
            output.append(contentsOf: bytes[copied..<index])
            output.append(contentsOf: tokenPlaceholder)
            copied = end
            index = end
        }
        guard copied > 0 else { return bytes }
        output.append(contentsOf: bytes[copied...])
        return output
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
