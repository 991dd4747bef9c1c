import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// The ports tests give the servers they start: never one the kernel could hand an outgoing connection in
/// the meantime (the ephemeral range), never the same one twice, and claimed against other processes.
@Suite(.hangGuard)
struct LoopbackPortTests {
    @Test func portsComeFromOutsideTheEphemeralRangeAndAreNeverHandedOutTwice() throws {
        let text = try String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)
        let bounds = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        try #require(bounds.count == 2)
        let ephemeral = bounds[0]...bounds[1]
        let ports = try (0..<200).map { _ in try freeLoopbackPort() }
        #expect(Set(ports).count == ports.count)
        #expect(ports.allSatisfy { !ephemeral.contains($0) && $0 >= 1024 && $0 <= 65535 }, "\(ports)")
    }

    @Test func anotherProcessCannotClaimAPortThisOneHolds() throws {
        let port = try freeLoopbackPort()
        // The claim is the abstract Unix socket named for the port; a second process binding it is refused.
        let script = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.bind("\\0civicpulse-test-port-\(port)")
                print("claimed")
            except OSError:
                print("refused")
            """
        let process = Process()
        process.executableURL = RepositoryLayout.python
        process.arguments = ["-c", script]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "refused")
    }
}
