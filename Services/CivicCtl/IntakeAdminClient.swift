import ArgumentParser
import Foundation

/// Where survey-intake's admin routes are and the token they require, shared by `civicctl agency` commands.
struct IntakeAdminOptions: ParsableArguments {
    @Option(help: "survey-intake's base URL (default: $CIVIC_INTAKE_URL or http://127.0.0.1:8080).")
    var url: String = ProcessInfo.processInfo.environment["CIVIC_INTAKE_URL"] ?? "http://127.0.0.1:8080"

    @Option(help: "A file holding the admin token (default: $CIVIC_INTAKE_ADMIN_TOKEN).")
    var adminTokenFile: String?

    /// Sends `body` to `path` with the admin token and returns the response body of a 2xx answer.
    /// - Throws: `ValidationError` with the server's reason for any other status.
    func send(_ method: String, _ path: String, body: Data? = nil) async throws -> Data {
        guard let token = try SecretInput.read(file: adminTokenFile, option: "--admin-token-file", variable: "CIVIC_INTAKE_ADMIN_TOKEN") else {
            throw ValidationError("set CIVIC_INTAKE_ADMIN_TOKEN or pass --admin-token-file")
        }
        return try await AdminHTTP.send(service: "survey-intake", base: url, token: token, method, path, body: body)
    }
}
