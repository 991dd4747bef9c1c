import CivicHTTP
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The parts of an issuer's discovery document (OpenID Connect Discovery 1.0 §3) staff sign-in uses.
package struct OpenIDProviderMetadata: Sendable, Hashable {
    /// `issuer`: equal to the issuer the document was read for.
    package var issuer: String
    /// `authorization_endpoint`.
    package var authorizationEndpoint: URL
    /// `token_endpoint`.
    package var tokenEndpoint: URL
    /// `jwks_uri`.
    package var jwksURL: URL

    /// Creates a value.
    package init(issuer: String, authorizationEndpoint: URL, tokenEndpoint: URL, jwksURL: URL) {
        self.issuer = issuer
        self.authorizationEndpoint = authorizationEndpoint
        self.tokenEndpoint = tokenEndpoint
        self.jwksURL = jwksURL
    }

    /// Reads `<issuer>/.well-known/openid-configuration`.
    /// - Parameters:
    ///   - issuer: The issuer identifier (e.g. `https://secure.login.gov/`).
    ///   - timeout: The time allowed. Default: 10 seconds.
    ///   - maximumBytes: A larger document is refused. Default: 65,536.
    ///   - allowsLoopbackHTTP: Whether an `http://` issuer on this machine (`localhost`, `127.0.0.0/8`, `::1`) is
    ///     read, for a local demo issuer; an `http://` issuer anywhere else is always refused. Default: `false`.
    /// - Throws: ``IdentityError`` (``IdentityError/Code/discoveryFailed``) when the issuer is not an `https` URL
    ///   (or a loopback `http` one where allowed), or the document cannot be read, lacks an endpoint, or names
    ///   another issuer (OpenID Connect Discovery §4.3).
    package static func discover(
        issuer: String,
        timeout: Duration = .seconds(10),
        maximumBytes: Int = 65_536,
        allowsLoopbackHTTP: Bool = false
    ) async throws(IdentityError) -> OpenIDProviderMetadata {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        guard let url = URL(string: base + "/.well-known/openid-configuration"), let host = url.host, !host.isEmpty else {
            throw IdentityError(code: .discoveryFailed, reason: "issuer \(issuer) is not a URL")
        }
        switch url.scheme?.lowercased() {
        case "https":
            break
        case "http" where allowsLoopbackHTTP && LoopbackHost.contains(host):
            break
        default:
            throw IdentityError(
                code: .discoveryFailed,
                reason: "issuer \(issuer) must be https (http only to this machine, with the loopback flag set)"
            )
        }
        var request = URLRequest(url: url)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let response: HTTPExchange.Response
        do {
            response = try await HTTPExchange.send(request, timeout: timeout, maximumBytes: maximumBytes, followsRedirects: false)
        } catch {
            switch error {
            case .transport(let underlying):
                throw IdentityError(
                    code: .discoveryFailed,
                    reason: "cannot read \(url.absoluteString)",
                    underlying: SendableErrorDescription(description: underlying)
                )
            case .tooLarge:
                throw IdentityError(code: .discoveryFailed, reason: "discovery document exceeds \(maximumBytes) bytes")
            }
        }
        guard response.status == 200 else {
            throw IdentityError(
                code: .discoveryFailed,
                reason: "\(url.absoluteString) answered HTTP \(response.status)",
                httpStatus: response.status
            )
        }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: response.body)
        } catch {
            throw IdentityError(code: .discoveryFailed, reason: "discovery document lacks issuer or an endpoint")
        }
        guard document.issuer == issuer else {
            throw IdentityError(
                code: .discoveryFailed,
                reason: "discovery document names issuer \(IDTokenValidator.sanitised(document.issuer))"
            )
        }
        guard let authorization = URL(string: document.authorizationEndpoint),
            let token = URL(string: document.tokenEndpoint),
            let jwks = URL(string: document.jwksURI)
        else {
            throw IdentityError(code: .discoveryFailed, reason: "discovery document has an endpoint that is not a URL")
        }
        return OpenIDProviderMetadata(
            issuer: document.issuer,
            authorizationEndpoint: authorization,
            tokenEndpoint: token,
            jwksURL: jwks
        )
    }

    private struct Document: Decodable {
        var issuer: String
        var authorizationEndpoint: String
        var tokenEndpoint: String
        var jwksURI: String

        private enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
        }
    }
}

extension StaffSignInConfiguration {
    /// A configuration whose issuer and endpoints come from discovered metadata; every other value has
    /// its documented default.
    /// in ``init(issuer:authorizationEndpoint:tokenEndpoint:jwksURL:clientID:redirectURI:clientKeyPath:clientKeyID:acrValues:scopes:prompt:clockSkew:minimumIdentityLevel:minimumAuthenticatorLevel:requestTimeout:maximumResponseBytes:maximumTokenBytes:allowedAlgorithms:allowsInsecureHTTP:)``.
    package init(
        metadata: OpenIDProviderMetadata,
        clientID: String,
        redirectURI: String,
        clientKeyPath: String,
        clientKeyID: String
    ) {
        self.init(
            issuer: metadata.issuer,
            authorizationEndpoint: metadata.authorizationEndpoint,
            tokenEndpoint: metadata.tokenEndpoint,
            jwksURL: metadata.jwksURL,
            clientID: clientID,
            redirectURI: redirectURI,
            clientKeyPath: clientKeyPath,
            clientKeyID: clientKeyID
        )
    }
}
