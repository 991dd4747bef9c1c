import CivicHTTP
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What a token endpoint answers to a successful authorization-code exchange (RFC 6749 §5.1,
/// OpenID Connect Core §3.1.3.3).
package struct StaffTokenResponse: Sendable, Hashable {
    /// The id_token, not yet verified: pass it to ``StaffTokenVerifier``.
    package var idToken: String
    /// `token_type` (`Bearer`).
    package var tokenType: String
    /// `access_token`, if given (for the issuer's userinfo endpoint; CivicPulse does not need it).
    package var accessToken: String?
    /// `expires_in` in seconds, if given.
    package var expiresIn: Int?

    /// Creates a value.
    package init(idToken: String, tokenType: String, accessToken: String? = nil, expiresIn: Int? = nil) {
        self.idToken = idToken
        self.tokenType = tokenType
        self.accessToken = accessToken
        self.expiresIn = expiresIn
    }
}

/// Exchanges an authorization code at the issuer's token endpoint, authenticating with a
/// `private_key_jwt` client assertion.
///
/// The request is `POST` `application/x-www-form-urlencoded` with `grant_type=authorization_code`,
/// `code`, `redirect_uri`, `code_verifier`, `client_id`, `client_assertion_type`
/// (`urn:ietf:params:oauth:client-assertion-type:jwt-bearer`) and `client_assertion`. Redirects are not
/// followed; the answer is read up to the size limit within the timeout.
package struct StaffTokenClient: Sendable {
    /// The token endpoint.
    package var tokenEndpoint: URL
    /// The time allowed for the whole exchange. Default: 10 seconds.
    package var timeout: Duration
    /// An answer larger than this is refused without being read further. Default: 65,536 bytes.
    package var maximumResponseBytes: Int

    /// The `client_assertion_type` for a JWT client assertion (RFC 7523 §2.2).
    package static let clientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    /// Creates a client.
    package init(tokenEndpoint: URL, timeout: Duration = .seconds(10), maximumResponseBytes: Int = 65_536) {
        self.tokenEndpoint = tokenEndpoint
        self.timeout = timeout
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// Exchanges `code` for tokens.
    /// - Parameters:
    ///   - code: The `code` from the callback.
    ///   - redirectURI: The same redirect URI the authorization request named.
    ///   - codeVerifier: The PKCE verifier kept since the authorization request.
    ///   - clientID: The relying party's client_id.
    ///   - clientAssertion: A fresh assertion from ``StaffClientAssertionSigner``.
    /// - Throws: ``IdentityError``: ``IdentityError/Code/tokenRequestFailed`` (transport, timeout),
    ///   ``IdentityError/Code/tokenRequestRefused`` (non-2xx; ``IdentityError/oauthError`` carries the
    ///   OAuth `error`), ``IdentityError/Code/tokenResponseInvalid`` (too large, not JSON, no id_token).
    package func exchange(
        code: String,
        redirectURI: String,
        codeVerifier: PKCECodeVerifier,
        clientID: String,
        clientAssertion: String
    ) async throws(IdentityError) -> StaffTokenResponse {
        let body = FormEncoding.encode([
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirectURI),
            ("code_verifier", codeVerifier.value),
            ("client_id", clientID),
            ("client_assertion_type", Self.clientAssertionType),
            ("client_assertion", clientAssertion),
        ])
        var request = URLRequest(url: self.tokenEndpoint)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.httpBody = Data(body.utf8)

        let response: HTTPExchange.Response
        do {
            response = try await HTTPExchange.send(
                request,
                timeout: self.timeout,
                maximumBytes: self.maximumResponseBytes,
                followsRedirects: false
            )
        } catch {
            switch error {
            case .transport(let underlying):
                throw IdentityError(
                    code: .tokenRequestFailed,
                    reason: "token request to \(self.tokenEndpoint.absoluteString) failed",
                    underlying: SendableErrorDescription(description: underlying)
                )
            case .tooLarge:
                throw IdentityError(
                    code: .tokenResponseInvalid,
                    reason: "token response is larger than \(self.maximumResponseBytes) bytes"
                )
            }
        }
        guard (200..<300).contains(response.status) else {
            let answer = try? JSONDecoder().decode(ErrorBody.self, from: response.body)
            let oauthError = answer?.error.map(Self.printable)
            throw IdentityError(
                code: .tokenRequestRefused,
                reason: "token endpoint answered HTTP \(response.status)"
                    + (oauthError.map { " (\($0))" } ?? ""),
                oauthError: oauthError,
                httpStatus: response.status
            )
        }
        let decoded: SuccessBody
        do {
            decoded = try JSONDecoder().decode(SuccessBody.self, from: response.body)
        } catch {
            throw IdentityError(
                code: .tokenResponseInvalid,
                reason: "token response is not a JSON object with string id_token and token_type"
            )
        }
        guard !decoded.idToken.isEmpty else {
            throw IdentityError(code: .tokenResponseInvalid, reason: "token response has an empty id_token")
        }
        guard decoded.tokenType.caseInsensitiveCompare("Bearer") == .orderedSame else {
            throw IdentityError(
                code: .tokenResponseInvalid,
                reason: "token_type is \(IDTokenValidator.sanitised(decoded.tokenType)), not Bearer"
            )
        }
        return StaffTokenResponse(
            idToken: decoded.idToken,
            tokenType: decoded.tokenType,
            accessToken: decoded.accessToken,
            expiresIn: decoded.expiresIn
        )
    }

    /// At most 64 printable ASCII characters of an issuer-supplied value.
    static func printable(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.prefix(64).filter { $0.value >= 0x20 && $0.value < 0x7F }))
    }

    private struct SuccessBody: Decodable {
        var idToken: String
        var tokenType: String
        var accessToken: String?
        var expiresIn: Int?

        private enum CodingKeys: String, CodingKey {
            case idToken = "id_token"
            case tokenType = "token_type"
            case accessToken = "access_token"
            case expiresIn = "expires_in"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.idToken = try container.decode(String.self, forKey: .idToken)
            self.tokenType = try container.decode(String.self, forKey: .tokenType)
            self.accessToken = (try? container.decodeIfPresent(String.self, forKey: .accessToken)) ?? nil
            self.expiresIn = (try? container.decodeIfPresent(Int.self, forKey: .expiresIn)) ?? nil
        }
    }

    private struct ErrorBody: Decodable {
        var error: String?
    }
}
