import CivicBytes
import Foundation
import Logging

/// Staff sign-in with OpenID Connect, assembled: the authorization request, the code exchange with a
/// `private_key_jwt` client assertion, and id_token verification.
///
/// ```swift
/// let signIn = try await StaffSignIn(configuration: configuration)
/// // GET /sign-in: keep `pending` in the server-side session, redirect to pending.url.
/// let pending = try signIn.begin()
/// // GET /callback?code=…&state=…: look the session's `pending` up, then
/// let staff = try await signIn.complete(code: code, state: state, pending: pending)
/// ```
package final class StaffSignIn: Sendable {
    /// The configuration, as validated.
    package let configuration: StaffSignInConfiguration
    /// The id_token verifier (exposed for key loading and health checks).
    package let verifier: StaffTokenVerifier

    private let signer: StaffClientAssertionSigner
    private let tokenClient: StaffTokenClient
    private let now: @Sendable () -> Date

    /// Validates `configuration` and reads the client private key.
    /// - Throws: ``IdentityError``: ``IdentityError/Code/invalidConfiguration`` or
    ///   ``IdentityError/Code/invalidClientKey``.
    package init(
        configuration: StaffSignInConfiguration,
        logger: Logger = Logger(label: "civicpulse.identity.staff"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) async throws {
        self.verifier = try StaffTokenVerifier(configuration: configuration, logger: logger, now: now)
        self.signer = try await StaffClientAssertionSigner(
            privateKeyPath: configuration.clientKeyPath,
            keyID: configuration.clientKeyID
        )
        self.tokenClient = StaffTokenClient(
            tokenEndpoint: configuration.tokenEndpoint,
            timeout: configuration.requestTimeout,
            maximumResponseBytes: configuration.maximumResponseBytes
        )
        self.configuration = configuration
        self.now = now
    }

    /// Starts a sign-in: fresh `state`, `nonce` and PKCE verifier, and the URL to redirect to.
    /// - Parameter loginHint: An optional `login_hint`.
    package func begin(loginHint: String? = nil) throws -> StaffAuthorizationRequest {
        try StaffAuthorizationRequest(configuration: self.configuration, loginHint: loginHint)
    }

    /// Finishes a sign-in from the callback's `code` and `state`.
    ///
    /// Checks `state` against the pending request (constant time) before any network call, exchanges
    /// the code, and verifies the id_token against the pending `nonce`. The pending request must be
    /// discarded afterwards, whatever the outcome: a code and its verifier are single-use.
    /// - Throws: ``IdentityError``: ``IdentityError/Code/signInRefused`` with ``IdentityError/refusal``
    ///   (`state_mismatch`, `nonce_mismatch`, or any id_token refusal), or the token client's errors.
    package func complete(
        code: String,
        state: String,
        pending: StaffAuthorizationRequest
    ) async throws(IdentityError) -> StaffIdentity {
        guard ConstantTime.equal(state.utf8, pending.state.utf8) else {
            throw Self.refused(IdentityRefusal(code: .stateMismatch, reason: "the callback's state is not this sign-in's"))
        }
        guard !code.isEmpty else {
            throw Self.refused(IdentityRefusal(code: .missingClaim, reason: "the callback has no code"))
        }
        let assertion: String
        do {
            assertion = try await self.signer.assertion(
                clientID: self.configuration.clientID,
                tokenEndpoint: self.configuration.tokenEndpoint,
                now: self.now()
            )
        } catch let error as IdentityError {
            throw error
        } catch {
            throw IdentityError(code: .invalidClientKey, reason: "cannot sign the client assertion")
        }
        let tokens = try await self.tokenClient.exchange(
            code: code,
            redirectURI: self.configuration.redirectURI,
            codeVerifier: pending.codeVerifier,
            clientID: self.configuration.clientID,
            clientAssertion: assertion
        )
        switch await self.verifier.verify(tokens.idToken, expectedNonce: pending.nonce) {
        case .verified(let identity): return identity
        case .refused(let refusal): throw Self.refused(refusal)
        }
    }

    private static func refused(_ refusal: IdentityRefusal) -> IdentityError {
        IdentityError(code: .signInRefused, reason: "staff sign-in refused: \(refusal)", refusal: refusal)
    }
}
