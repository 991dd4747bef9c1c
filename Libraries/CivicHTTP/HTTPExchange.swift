import CivicTime
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The project's one HTTP client for outbound calls: one exchange with a timeout and a body limit that stops
/// reading as soon as the answer grows past it, so no peer can make a caller buffer more than it allows.
///
/// Staff sign-in (discovery, token endpoint), the JWKS download, civicctl's administration calls and the tests'
/// HTTP calls all go through ``send(_:timeout:maximumBytes:followsRedirects:)``.
package enum HTTPExchange {
    /// A complete answer.
    package struct Response: Sendable {
        /// The status code.
        package var status: Int
        /// The header fields, names lower-cased.
        package var headers: [String: String]
        /// The body, at most the limit the exchange was given.
        package var body: Data

        /// The `Content-Type` header, if any.
        package var contentType: String? { headers["content-type"] }
    }

    /// Why an exchange failed.
    package enum Failure: Error, Sendable, CustomStringConvertible {
        /// Connection, TLS, timeout or cancellation, with the transport's description.
        case transport(String)
        /// The body exceeded the limit; reading stopped there.
        case tooLarge(limit: Int)

        package var description: String {
            switch self {
            case .transport(let reason): reason
            case .tooLarge(let limit): "the answer is larger than \(limit) bytes"
            }
        }
    }

    /// Sends `request` and reads at most `maximumBytes` of the answer.
    /// - Parameters:
    ///   - timeout: The bound of the whole exchange (the request's and the session's timeouts).
    ///   - maximumBytes: The most the body may hold; reading stops, and the exchange fails, past it.
    ///   - followsRedirects: Whether a redirect is followed (default) or answered as it is (an issuer's
    ///     token endpoint answers directly, and tests look at each answer).
    package static func send(
        _ request: URLRequest,
        timeout: Duration,
        maximumBytes: Int,
        followsRedirects: Bool = true
    ) async throws(Failure) -> Response {
        var request = request
        request.timeoutInterval = timeout.timeInterval
        request.cachePolicy = .reloadIgnoringLocalCacheData
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout.timeInterval
        configuration.timeoutIntervalForResource = timeout.timeInterval
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        let collector = BoundedBodyCollector(maximumBytes: maximumBytes, followsRedirects: followsRedirects)
        let session = URLSession(configuration: configuration, delegate: collector, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let result = await collector.run(session.dataTask(with: request))
        return try result.get()
    }
}

/// Collects a data task's body up to a limit, cancelling the task once the limit is passed, and follows a
/// redirect only when asked to.
final class BoundedBodyCollector: NSObject, URLSessionDataDelegate, Sendable {
    private struct State {
        var body = Data()
        var tooLarge = false
        var continuation: CheckedContinuation<Result<HTTPExchange.Response, HTTPExchange.Failure>, Never>?
    }

    private let maximumBytes: Int
    private let followsRedirects: Bool
    private let state = Mutex(State())

    init(maximumBytes: Int, followsRedirects: Bool) {
        self.maximumBytes = maximumBytes
        self.followsRedirects = followsRedirects
    }

    /// Starts `task` and waits for its outcome; cancelling the calling task cancels the request.
    func run(_ task: URLSessionDataTask) async -> Result<HTTPExchange.Response, HTTPExchange.Failure> {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                self.state.withLock { $0.continuation = continuation }
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let cancel = self.state.withLock { state -> Bool in
            guard !state.tooLarge else { return false }
            if state.body.count + data.count > self.maximumBytes {
                state.tooLarge = true
                state.body = Data()
                return true
            }
            state.body.append(data)
            return false
        }
        if cancel { dataTask.cancel() }
    }

    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(followsRedirects ? request : nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, body, tooLarge) = self.state.withLock { state in
            let taken = (state.continuation, state.body, state.tooLarge)
            state.continuation = nil
            state.body = Data()
            return taken
        }
        guard let continuation else { return }
        if tooLarge {
            continuation.resume(returning: .failure(.tooLarge(limit: maximumBytes)))
            return
        }
        if let error {
            continuation.resume(returning: .failure(.transport(String(describing: error))))
            return
        }
        guard let http = task.response as? HTTPURLResponse else {
            continuation.resume(returning: .failure(.transport("no HTTP response")))
            return
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            headers[String(describing: name).lowercased()] = String(describing: value)
        }
        continuation.resume(returning: .success(HTTPExchange.Response(status: http.statusCode, headers: headers, body: body)))
    }
}
