import CivicHTTP
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plain HTTP calls on a service under test, without following redirects, so a test sees each answer.
package enum TestHTTP {
    /// One answer: status, headers (names lower-cased) and body.
    package struct Answer: Sendable {
        /// The status code.
        package var status: Int
        /// The headers, names lower-cased.
        package var headers: [String: String]
        /// The body.
        package var body: Data
        /// The body as UTF-8 text.
        package var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends `method url` with an optional bearer token, JSON body and extra headers, through the project's one
    /// HTTP client (`HTTPExchange`), never following a redirect so a test sees each answer.
    package static func send(
        _ method: String,
        _ url: String,
        bearer: String? = nil,
        json body: Data? = nil,
        headers: [String: String] = [:],
        timeout: TimeInterval = TestPatience.hangSeconds,
        maximumBytes: Int = 256 << 20
    ) async throws -> Answer {
        guard let target = URL(string: url) else { throw TestEnvironmentError("bad URL \(url)") }
        var request = URLRequest(url: target)
        request.httpMethod = method
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = body
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let answer = try await HTTPExchange.send(
            request,
            timeout: .seconds(timeout),
            maximumBytes: maximumBytes,
            followsRedirects: false
        )
        return Answer(status: answer.status, headers: answer.headers, body: answer.body)
    }

    /// Mints a reporting token through `POST /v1/admin/tokens` with the administration token.
    /// - Returns: The token's plaintext.
    package static func mintReportingToken(base: String, adminToken: String, agency: String, role: String) async throws -> String {
        let body = try JSONSerialization.data(withJSONObject: ["agency": agency, "role": role, "label": "test \(role) \(agency)"])
        let answer = try await send("POST", "\(base)/v1/admin/tokens", bearer: adminToken, json: body)
        guard answer.status == 201,
            let object = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
            let token = object["token"] as? String
        else {
            throw TestEnvironmentError("minting a reporting token answered \(answer.status): \(answer.text)")
        }
        return token
    }

    /// A random secret for an administration token.
    package static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(separator: "-")
    }
}
