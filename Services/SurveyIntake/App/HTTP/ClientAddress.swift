import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP network (`10.0.0.0/8`, `fd00::/8`, or one address), for the proxies whose `X-Forwarded-For` survey-intake
/// believes.
package struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network's address bytes (4 for IPv4, 16 for IPv6).
    let bytes: [UInt8]
    /// Its prefix length in bits.
    let prefixLength: Int

    /// Parses `text`, a CIDR or a single address; `nil` when it is neither.
    package init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let bytes = Self.address(String(parts[0])) else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
        guard let length, (0...bytes.count * 8).contains(length) else { return nil }
        self.bytes = bytes
        self.prefixLength = length
    }

    /// Whether `address` (textual) is in the network.
    func contains(_ address: String) -> Bool {
        guard let other = Self.address(address), other.count == bytes.count else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(bytes, other) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if mine & mask != theirs & mask { return false }
            remaining -= bits
        }
        return true
    }

    package var description: String { "\(bytes.count == 4 ? "IPv4" : "IPv6") /\(prefixLength)" }

    /// The bytes of a textual IPv4 or IPv6 address (`inet_pton`); `nil` for anything else.
    static func address(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

/// Whose address a submission's rate signals may key on. The caller of `POST /v1/responses` holds an agency's
/// API key, so it is the agency's own back end unless a trusted proxy (a load balancer or the agency's form
/// gateway, `CIVIC_INTAKE_TRUSTED_PROXIES`) says otherwise in `X-Forwarded-For`: keying on the peer would flag
/// every citizen an agency's server forwards as one burst.
enum ClientAddress {
    /// The respondent's address: the right-most `X-Forwarded-For` entry that is not itself a trusted proxy, when
    /// the peer is a trusted proxy; otherwise `nil` (no address to key on).
    static func resolve(peer: String?, forwardedFor: [String], trusted: [IPNetwork]) -> String? {
        guard let peer, trusted.contains(where: { $0.contains(peer) }) else { return nil }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard IPNetwork.address(hop) != nil else { return nil }  // a malformed hop ends what can be believed
            if !trusted.contains(where: { $0.contains(hop) }) { return hop }
        }
        return nil
    }
}
