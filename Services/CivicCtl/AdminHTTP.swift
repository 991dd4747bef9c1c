import ArgumentParser
import CivicHTTP
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One authenticated JSON call on a service's administration routes, shared by `civicctl agency` and
/// `civicctl access`.
enum AdminHTTP {
    /// Sends `body` to `path` on `base` with `token` and returns the body of a 2xx answer.
    /// - Throws: `ValidationError` with the service's reason for any other status.
    static func send(service: String, base: String, token: String, _ method: String, _ path: String, body: Data? = nil) async throws -> Data {
        guard let baseURL = URL(string: base), let target = URL(string: path, relativeTo: baseURL) else {
            throw ValidationError("'\(base)' is not a URL")
        }
        var request = URLRequest(url: target)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body ?? Data()
        let response: HTTPExchange.Response
        do {
            response = try await HTTPExchange.send(request, timeout: .seconds(30), maximumBytes: Self.maximumAnswerBytes)
        } catch {
            throw ValidationError("\(service) at \(base): \(error)")
        }
        let (data, status) = (response.body, response.status)
        guard (200..<300).contains(status) else {
            let reason = (try? JSONDecoder().decode(ErrorBody.self, from: data)).map { "\($0.code): \($0.reason)" }
            throw ValidationError("\(service) answered \(status): \(reason ?? String(decoding: data, as: UTF8.self))")
        }
        return data
    }

    /// The largest answer an administration route gives (a list of instruments, users or audit entries).
    static let maximumAnswerBytes = 16 << 20

    /// `text` percent-encoded as one path component.
    static func pathComponent(_ text: String, what: String) throws -> String {
        guard !text.isEmpty, let escaped = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_", ".", "~"])) else {
            throw ValidationError("'\(text)' is not \(what)")
        }
        return escaped
    }

    private struct ErrorBody: Decodable {
        var code: String
        var reason: String
    }
}
