import Foundation

/// Where the project's local runtime lives: the git-ignored `.runtime/` folder that `ops/bootstrap`
/// fills (Python venv with Tansu and the librdkafka 2.16 wheel, `lib/librdkafka.so.1`).
package enum RepositoryLayout {
    /// The repository root, found from this source file's location (or `CIVIC_REPO_ROOT`).
    package static var root: URL {
        if let override = ProcessInfo.processInfo.environment["CIVIC_REPO_ROOT"] {
            return URL(fileURLWithPath: override)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // CivicTesting
            .deletingLastPathComponent()  // Libraries
            .deletingLastPathComponent()  // root
    }

    /// `.runtime/` under the root.
    package static var runtime: URL { root.appendingPathComponent(".runtime") }

    /// The Tansu broker binary (`CIVIC_TANSU` overrides).
    package static var tansu: URL {
        if let override = ProcessInfo.processInfo.environment["CIVIC_TANSU"] {
            return URL(fileURLWithPath: override)
        }
        return runtime.appendingPathComponent("bin/tansu")
    }

    /// The Python interpreter of the project venv (`CIVIC_PYTHON` overrides).
    package static var python: URL {
        if let override = ProcessInfo.processInfo.environment["CIVIC_PYTHON"] {
            return URL(fileURLWithPath: override)
        }
        return runtime.appendingPathComponent("venv/bin/python")
    }

    /// The folder of built executables (`.build/debug` unless `CIVIC_BIN_DIR` says otherwise).
    package static var binaries: URL {
        if let override = ProcessInfo.processInfo.environment["CIVIC_BIN_DIR"] {
            return URL(fileURLWithPath: override)
        }
        // The test bundle runs from the build products folder; its executables sit beside it.
        let bundle = Bundle.main.bundleURL
        let candidate = bundle.deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("civicctl").path) {
            return candidate
        }
        if FileManager.default.fileExists(atPath: bundle.appendingPathComponent("civicctl").path) {
            return bundle
        }
        return root.appendingPathComponent(".build/debug")
    }
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
package func isListening(port: Int, host: String = "127.0.0.1") -> Bool {
    withIPv4StreamSocket(port: port, host: host) { socket, address, length in connect(socket, address, length) == 0 }
}

/// Runs `body` with a new IPv4 TCP socket and the address `host`:`port`, closing the socket afterwards; `false`
/// when no socket can be made.
func withIPv4StreamSocket(
    port: Int,
    host: String,
    _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Bool
) -> Bool {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { return false }
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(truncatingIfNeeded: port).bigEndian
    address.sin_addr.s_addr = inet_addr(host)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
}

/// A test environment problem (a missing binary, a server that did not start); tests fail with it.
package struct TestEnvironmentError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
