import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 that answers every GET with the current body.
///
/// One accepting thread, one request per connection (`Connection: close`); enough to serve a
/// JWKS to URLSession in tests and to count how often it was fetched.
final class LoopbackHTTPServer: Sendable {
    private struct State {
        var body: String
        var status: Int
        var requests: Int
    }

    private let state: Mutex<State>
    private let socketDescriptor: Int32
    let port: UInt16

    init(body: String) throws {
        self.state = Mutex(State(body: body, status: 200, requests: 0))
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.port = UInt16(bigEndian: actual.sin_port)
        self.socketDescriptor = descriptor
        let thread = Thread { [self] in self.acceptLoop() }
        thread.start()
    }

    var url: URL { URL(string: "http://127.0.0.1:\(self.port)/api/openid_connect/certs")! }

    var requestCount: Int { self.state.withLock { $0.requests } }

    func setBody(_ body: String, status: Int = 200) {
        self.state.withLock {
            $0.body = body
            $0.status = status
        }
    }

    func stop() {
        shutdown(self.socketDescriptor, Int32(SHUT_RDWR))
        close(self.socketDescriptor)
    }

    private func acceptLoop() {
        while true {
            let client = accept(self.socketDescriptor, nil, nil)
            if client < 0 { return }
            self.handle(client)
        }
    }

    private func handle(_ client: Int32) {
        defer { close(client) }
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while request.count < 65_536 {
            let received = recv(client, &buffer, buffer.count, 0)
            if received <= 0 { return }
            request.append(contentsOf: buffer[0..<received])
            if request.count >= 4, request.suffix(4).elementsEqual([13, 10, 13, 10]) { break }
        }
        let (body, status) = self.state.withLock { state -> (String, Int) in
            state.requests += 1
            return (state.body, state.status)
        }
        let bodyBytes = Array(body.utf8)
        let head =
            "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Error")\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(bodyBytes.count)\r\nConnection: close\r\n\r\n"
        let response = Array(head.utf8) + bodyBytes
        var sent = 0
        while sent < response.count {
            let written = response[sent...].withUnsafeBytes {
                send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written <= 0 { return }
            sent += written
        }
    }
}
