/// Whether a host name or address stays on this machine: `localhost`, any `127.0.0.0/8` address or `::1`.
///
/// The one test of "loopback" for every transport rule: plain HTTP to an issuer, plaintext Kafka and unverified
/// PostgreSQL are allowed to such a host only.
package enum LoopbackHost {
    /// Whether `host` (a name or an address, with or without IPv6 brackets, any case) is a loopback host.
    package static func contains(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy(\.isASCIIDigit) && (Int(octet) ?? 256) <= 255
        }
    }

    /// The host of a `host:port`, `[v6]:port`, `host` or `[v6]` entry, without brackets.
    package static func host(ofEntry entry: some StringProtocol) -> String {
        let trimmed = entry.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()
        let text = String(trimmed)
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            return String(text[text.index(after: text.startIndex)..<close])
        }
        if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            return String(text[..<colon])
        }
        return text
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
