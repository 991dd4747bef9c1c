import Foundation
import Synchronization

/// A free TCP port on 127.0.0.1 for a server a test starts, reserved for the rest of this process.
///
/// The port comes from outside the kernel's ephemeral range (`net.ipv4.ip_local_port_range`), so no outgoing
/// connection (a Kafka client reconnecting, a PostgreSQL client) can be given it as its local port between
/// the moment it is chosen and the moment the server binds it: binding port 0 would pick from exactly that
/// range, and a busy test run reconnects often enough to collide. Each port is handed out once per process
/// and is also claimed across processes (an abstract-namespace Unix socket named for it, released by the
/// kernel when the process exits), so two test processes on one machine never get the same port.
package func freeLoopbackPort() throws -> Int {
    try LoopbackPorts.shared.reserve()
}

/// The ports this process has handed out, and where it looks for the next one.
private final class LoopbackPorts: Sendable {
    static let shared = LoopbackPorts()

    private struct State {
        var next: Int
        /// The claim sockets: held open for the life of the process, so the claims hold too.
        var claims: [Int32] = []
    }

    private let range: ClosedRange<Int>
    private let state: Mutex<State>

    private init() {
        let range = Self.nonEphemeralRange()
        self.range = range
        // Different processes start at different places, so they rarely contend for the same port.
        let start = range.lowerBound + Int(getpid()) % range.count
        self.state = Mutex(State(next: start))
    }

    func reserve() throws -> Int {
        try state.withLock { state in
            for _ in 0..<range.count {
                let port = state.next
                state.next = port == range.upperBound ? range.lowerBound : port + 1
                guard Self.isBindable(port), let claim = Self.claim(port) else { continue }
                state.claims.append(claim)
                return port
            }
            throw TestEnvironmentError("no free loopback port in \(range)")
        }
    }

    /// The ports below the ephemeral range (or above it, when little room is left below), never a
    /// privileged one.
    private static func nonEphemeralRange() -> ClosedRange<Int> {
        var ephemeral = 32768...60999
        if let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8) {
            let bounds = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            if bounds.count == 2, bounds[0] <= bounds[1] { ephemeral = bounds[0]...bounds[1] }
        }
        if ephemeral.lowerBound - 1 - 20_000 >= 1024 { return 20_000...(ephemeral.lowerBound - 1) }
        if ephemeral.lowerBound - 1 - 2_000 >= 1024 { return 1024...(ephemeral.lowerBound - 1) }
        return (ephemeral.upperBound + 1)...65535
    }

    /// Whether nothing holds `port` on 127.0.0.1 now (no listener, no connection in TIME_WAIT on it).
    private static func isBindable(_ port: Int) -> Bool {
        withIPv4StreamSocket(port: port, host: "127.0.0.1") { socket, address, length in bind(socket, address, length) == 0 }
    }

    /// Claims `port` for this process across the machine: binds the abstract Unix socket
    /// `civicpulse-test-port-<port>`, which only one process can hold. Returns the socket to keep open.
    private static func claim(_ port: Int) -> Int32? {
        let socket = Foundation.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        // An abstract name starts with a NUL byte and lives in no file system.
        let name = Array("civicpulse-test-port-\(port)".utf8)
        let length = withUnsafeMutableBytes(of: &address.sun_path) { path -> Int in
            path[0] = 0
            for (index, byte) in name.enumerated() where index + 1 < path.count { path[index + 1] = byte }
            return min(name.count + 1, path.count)
        }
        let addressLength = socklen_t(MemoryLayout<sa_family_t>.size + length)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, addressLength) }
        }
        guard bound == 0 else {
            close(socket)
            return nil
        }
        return socket
    }
}
