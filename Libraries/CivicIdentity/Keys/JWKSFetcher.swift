import CivicHTTP
import CivicTime
import Dispatch
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Reads a JWKS document from its ``JWKSSource``.
enum JWKSFetcher {
    /// Reads the document.
    /// - Throws: ``IdentityError`` with ``IdentityError/Code/jwksFetchFailed`` for I/O, network and
    ///   HTTP failures, ``IdentityError/Code/jwksInvalid`` when the document exceeds `maximumBytes`.
    static func fetch(_ source: JWKSSource, timeout: Duration, maximumBytes: Int) async throws -> [UInt8] {
        let bytes: [UInt8]
        switch source.backing {
        case .file(let path):
            bytes = try await self.readFile(path, maximumBytes: maximumBytes)
        case .url(let url) where url.isFileURL:
            bytes = try await self.readFile(url.path, maximumBytes: maximumBytes)
        case .url(let url):
            bytes = try await self.download(url, timeout: timeout, maximumBytes: maximumBytes)
        case .loader(let label, let loader):
            do {
                bytes = try await loader()
            } catch {
                throw IdentityError(
                    code: .jwksFetchFailed,
                    reason: "JWKS loader \(label) failed",
                    underlying: SendableErrorDescription(error)
                )
            }
        }
        if bytes.count > maximumBytes {
            throw IdentityError(code: .jwksInvalid, reason: "JWKS is larger than \(maximumBytes) bytes")
        }
        return bytes
    }

    /// Reads a file on a Dispatch queue, off Swift's cooperative pool.
    private static func readFile(_ path: String, maximumBytes: Int) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
            DispatchQueue.global().async {
                do {
                    let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
                    defer { try? handle.close() }
                    let data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
                    continuation.resume(returning: [UInt8](data))
                } catch {
                    continuation.resume(
                        throwing: IdentityError(
                            code: .jwksFetchFailed,
                            reason: "cannot read JWKS file \(path)",
                            underlying: SendableErrorDescription(error)
                        )
                    )
                }
            }
        }
    }

    /// Downloads the document, reading at most `maximumBytes` of it: a larger answer is refused as soon as it
    /// passes the limit, never buffered whole.
    private static func download(_ url: URL, timeout: Duration, maximumBytes: Int) async throws -> [UInt8] {
        var request = URLRequest(url: url)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let response: HTTPExchange.Response
        do {
            response = try await HTTPExchange.send(request, timeout: timeout, maximumBytes: maximumBytes)
        } catch {
            switch error {
            case .tooLarge:
                throw IdentityError(code: .jwksInvalid, reason: "JWKS is larger than \(maximumBytes) bytes")
            case .transport(let reason):
                throw IdentityError(
                    code: .jwksFetchFailed,
                    reason: "cannot fetch JWKS from \(url.absoluteString)",
                    underlying: SendableErrorDescription(description: reason)
                )
            }
        }
        guard response.status == 200 else {
            throw IdentityError(
                code: .jwksFetchFailed,
                reason: "JWKS fetch from \(url.absoluteString) answered HTTP \(response.status)"
            )
        }
        return [UInt8](response.body)
    }
}

/// A thrown error reduced to its description, so it can travel in a `Sendable` ``IdentityError``.
struct SendableErrorDescription: Error, Sendable, CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        self.description = String(describing: error)
    }

    init(description: String) {
        self.description = description
    }
}
