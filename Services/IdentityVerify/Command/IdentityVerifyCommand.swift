import CivicRuntime
import Configuration
import IdentityVerify

/// identity-verify: verifies identity assertions, replaces identities with keyed pseudonyms, redacts PII.
/// Configuration comes from `CIVIC_*` environment variables (see docs/configuration.md).
@main
struct IdentityVerifyCommand {
    static func main() async {
        await CivicServiceRunner.main("identity-verify") {
            let configuration = try IdentityVerifyConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider()))
            let (registry, logger) = Observability.bootstrap(configuration.runtime)
            if CivicServiceRunner.isPurgeCommand {
                print("identity-verify purge: \(try await purgeIdentityVerify(configuration: configuration, logger: logger))")
                return
            }
            let tracing = try TracingBootstrap.bootstrap(configuration.runtime, logger: logger)
            let services = try await buildIdentityVerify(configuration: configuration, registry: registry, logger: logger)
            try await CivicServiceRunner.run(tracing + services, logger: logger)
        }
    }
}
