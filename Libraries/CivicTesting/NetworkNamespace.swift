import Foundation

/// A test host in a network namespace of its own (iproute2), joined to this one by a veth pair on a
/// link-local /30, so one service can be cut off from the broker and the database and joined again: a
/// network partition. Needs root (`ip netns`), as the tests and CI run.
package final class NetworkNamespace: Sendable {
    /// The namespace's name.
    package let name: String
    /// This side's address (the broker and PostgreSQL listen on it too).
    package let hostAddress: String
    /// The namespace side's address.
    package let address: String
    private let hostLink: String
    private let peerLink: String

    /// Creates the namespace and the link, up.
    /// - Throws: ``TestEnvironmentError`` when `ip` refuses (not root, or no iproute2).
    package init() throws {
        let tag = String(UInt32.random(in: 0..<0xFFFF), radix: 16)
        name = "civic-\(tag)"
        hostLink = "cvh\(tag)"
        let peer = "cvn\(tag)"
        peerLink = peer
        // A /30 in 169.254.0.0/16 (link-local: only this machine's own test hosts use it).
        let octet = Int.random(in: 1...250)
        let subnet = Int.random(in: 0...63) * 4
        hostAddress = "169.254.\(octet).\(subnet + 1)"
        address = "169.254.\(octet).\(subnet + 2)"
        try Self.ip(
            "netns add \(name)",
            "link add \(hostLink) type veth peer name \(peer)",
            "link set \(peer) netns \(name)",
            "addr add \(hostAddress)/30 dev \(hostLink)",
            "link set \(hostLink) up",
            "netns exec \(name) ip addr add \(address)/30 dev \(peer)",
            "netns exec \(name) ip link set \(peer) up",
            "netns exec \(name) ip link set lo up"
        )
    }

    deinit { try? Self.ip("netns del \(name)") }

    /// Cuts the namespace off: its end of the link goes down, so nothing crosses in either direction (this
    /// side keeps its address, so the processes here still reach the broker and the database on it).
    package func partition() throws {
        try Self.ip("netns exec \(name) ip link set \(peerLink) down")
    }

    /// Joins it again.
    package func heal() throws {
        try Self.ip("netns exec \(name) ip link set \(peerLink) up")
    }

    /// The command line that runs `executable` inside the namespace.
    package func command(_ executable: URL) -> (executable: URL, arguments: [String]) {
        (URL(fileURLWithPath: "/usr/sbin/ip"), ["netns", "exec", name, executable.path])
    }

    private static func ip(_ commands: String...) throws {
        for command in commands {
            guard try runShell("ip \(command) >/dev/null 2>&1") == 0 else {
                throw TestEnvironmentError("'ip \(command)' failed (network namespaces need root and iproute2)")
            }
        }
    }
}
