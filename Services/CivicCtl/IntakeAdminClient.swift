import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where survey-intake's admin routes are and the token they require, shared by `civicctl agency` commands.
struct IntakeAdminOptions: ParsableArguments {
    @Option(help: "survey-intake's base URL (default: $CIVIC_INTAKE_URL or http://127.0.0.1:8080).")
    var url: String = ProcessInfo.processInfo.environment["CIVIC_INTAKE_URL"] ?? "http://127.0.0.1:8080"

    @Option(help: "The admin token (default: $CIVIC_INTAKE_ADMIN_TOKEN; prefer the variable, arguments show in ps).")
    var adminToken: String?

    /// Sends `body` to `path` with the admin token and returns the response body of a 2xx answer.
    /// - Throws: `ValidationError` with the server's reason for any other status.
    func send(_ method: String, _ path: String, body: Data? = nil) async throws -> Data {
        guard let token = adminToken ?? ProcessInfo.processInfo.environment["CIVIC_INTAKE_ADMIN_TOKEN"], !token.isEmpty else {
            throw ValidationError("set CIVIC_INTAKE_ADMIN_TOKEN or pass --admin-token")
        }
        guard let base = URL(string: url), let target = URL(string: path, relativeTo: base) else {
            throw ValidationError("'\(url)' is not a URL")
        }
        var request = URLRequest(url: target)
        request.httpMethod = method
        request.timeoutInterval = 30
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body ?? Data()
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let reason = (try? JSONDecoder().decode(ErrorBody.self, from: data)).map { "\($0.code): \($0.reason)" }
            throw ValidationError("survey-intake answered \(status): \(reason ?? String(decoding: data, as: UTF8.self))")
        }
        return data
    }

    private struct ErrorBody: Decodable {
        var code: String
        var reason: String
    }
}
