import CivicTime
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange with an issuer (token endpoint, discovery) with a timeout and a body limit that
/// stops reading as soon as the answer grows past it.
enum SignInHTTP {
    /// A complete answer.
    struct Response: Sendable {
        var status: Int
        var contentType: String?
        var body: Data
    }

    /// Why an exchange failed.
    enum Failure: Error, Sendable {
        /// Connection, TLS, timeout or cancellation.
        case transport(SendableErrorDescription)
        /// The body exceeded the limit; reading stopped there.
        case tooLarge
    }

    /// Sends `request` and reads at most `maximumBytes` of the answer.
    static func send(_ request: URLRequest, timeout: Duration, maximumBytes: Int) async throws(Failure) -> Response {
        var request = request
        request.timeoutInterval = timeout.timeInterval
        request.cachePolicy = .reloadIgnoringLocalCacheData
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout.timeInterval
        configuration.timeoutIntervalForResource = timeout.timeInterval
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        let collector = BoundedBodyCollector(maximumBytes: maximumBytes)
        let session = URLSession(configuration: configuration, delegate: collector, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let result = await collector.run(session.dataTask(with: request))
        return try result.get()
    }
}

/// Collects a data task's body up to a limit, cancelling the task once the limit is passed, and never
/// follows a redirect (an issuer's token endpoint answers directly).
final class BoundedBodyCollector: NSObject, URLSessionDataDelegate, Sendable {
    private struct State {
        var body = Data()
        var tooLarge = false
        var continuation: CheckedContinuation<Result<SignInHTTP.Response, SignInHTTP.Failure>, Never>?
    }

    private let maximumBytes: Int
    private let state = Mutex(State())

    init(maximumBytes: Int) {
        self.maximumBytes = maximumBytes
    }

    /// Starts `task` and waits for its outcome; cancelling the calling task cancels the request.
    func run(_ task: URLSessionDataTask) async -> Result<SignInHTTP.Response, SignInHTTP.Failure> {
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
        completionHandler(nil)
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
            continuation.resume(returning: .failure(.tooLarge))
            return
        }
        if let error {
            continuation.resume(returning: .failure(.transport(SendableErrorDescription(error))))
            return
        }
        guard let http = task.response as? HTTPURLResponse else {
            let failure = SendableErrorDescription(description: "no HTTP response")
            continuation.resume(returning: .failure(.transport(failure)))
            return
        }
        let response = SignInHTTP.Response(
            status: http.statusCode,
            contentType: http.value(forHTTPHeaderField: "Content-Type"),
            body: body
        )
        continuation.resume(returning: .success(response))
    }
}
