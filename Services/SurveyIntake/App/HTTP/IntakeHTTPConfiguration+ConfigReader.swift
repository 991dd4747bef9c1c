import CivicRuntime
import Configuration
import Foundation

extension IntakeHTTPConfiguration {
    /// Reads the `CIVIC_INTAKE_HTTP_*`, `CIVIC_INTAKE_FORM_*`, `CIVIC_INTAKE_API_KEY_CACHE_S`, `CIVIC_INTAKE_ADMIN_TOKEN` and
    /// `CIVIC_INTAKE_SUBMITTER_KEY` variables.
    package init(reader: ConfigReader) throws {
        self.init()
        maxBatchItems = try reader.strictInt("civic.intake.http.max-batch", default: maxBatchItems, in: 1...100_000)
        maxBodyBytes = try reader.strictInt("civic.intake.http.max-body-bytes", default: maxBodyBytes, in: 1024...1_073_741_824)
        requestsPerSecond = Double(try reader.strictInt("civic.intake.http.rate", default: Int(requestsPerSecond), in: 1...10_000_000))
        burst = try reader.strictInt("civic.intake.http.burst", default: burst, in: 1...10_000_000)
        apiKeyCacheSeconds = try reader.strictInt("civic.intake.api-key-cache-s", default: apiKeyCacheSeconds, in: 0...86_400)
        forms = try FormConfiguration(reader: reader)
        let admin = reader.text("civic.intake.admin-token", default: "", isSecret: true)
        if !admin.isEmpty {
            guard admin.utf8.count >= 16 else {
                throw ConfigurationError(key: "civic.intake.admin-token", reason: "must be at least 16 characters")
            }
            adminToken = admin
        }
        let submitter = reader.text("civic.intake.submitter-key", default: "", isSecret: true)
        submitterKey = submitter.isEmpty ? nil : submitter
        let proxies = reader.text("civic.intake.trusted-proxies", default: "")
        trustedProxies = try proxies.split(separator: ",").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { entry in
            guard let network = IPNetwork(String(entry)) else {
                throw ConfigurationError(key: "civic.intake.trusted-proxies", reason: "'\(entry)' is not an IP address or CIDR")
            }
            return network
        }
    }
}
