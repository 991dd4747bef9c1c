import CivicIdentity
import Logging

/// The staff sign-in of ``StaffSignInSettings``, built on first use: the issuer's endpoints
/// are discovered then (not at start-up, so an issuer outage never keeps reporting from starting) and
/// the result is kept; a failed discovery is tried again on the next sign-in.
package actor StaffSignInProvider {
    let settings: StaffSignInSettings
    let logger: Logger
    private var signIn: StaffSignIn?

    package init(settings: StaffSignInSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// The sign-in flow.
    /// - Throws: ``IdentityError`` when the issuer's metadata cannot be read or the client key is unusable.
    func staffSignIn() async throws -> StaffSignIn {
        if let signIn { return signIn }
        let metadata = try await OpenIDProviderMetadata.discover(issuer: settings.issuer, allowsLoopbackHTTP: settings.allowsLoopbackHTTP)
        var configuration = StaffSignInConfiguration(
            metadata: metadata,
            clientID: settings.clientID,
            redirectURI: settings.redirectURI,
            clientKeyPath: settings.clientKeyFile,
            clientKeyID: settings.clientKeyID
        )
        configuration.acrValues = settings.acrValues
        let made = try await StaffSignIn(configuration: configuration, logger: logger)
        signIn = made
        return made
    }
}
