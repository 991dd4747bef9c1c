import CivicTestTraits
import Crypto
import Foundation
import JWTKit
import Testing
import _CryptoExtras

@testable import CivicIdentity

@Suite("Staff sign-in: PKCE, authorization request, client assertion", .hangGuard)
struct StaffSignInUnitTests {
    @Test("PKCE S256 challenge matches RFC 7636 appendix B")
    func pkceVector() throws {
        // The appendix's 32 random octets, base64url-encoded, are its verifier.
        let octets: [UInt8] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214,
            191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ]
        #expect(base64URL(octets) == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        let verifier = try PKCECodeVerifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(verifier.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCECodeVerifier.challengeMethod == "S256")
    }

    @Test("A fresh PKCE verifier is 43 unreserved characters, different each time; bad ones are refused")
    func pkceFresh() throws {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let first = PKCECodeVerifier()
        #expect(first.value.count == 43)
        #expect(first.value.allSatisfy { unreserved.contains($0) })
        #expect(first != PKCECodeVerifier())
        #expect(try PKCECodeVerifier(first.value) == first)
        #expect(throws: IdentityError.self) { try PKCECodeVerifier(String(repeating: "a", count: 42)) }
        #expect(throws: IdentityError.self) { try PKCECodeVerifier(String(repeating: "a", count: 129)) }
        #expect(throws: IdentityError.self) { try PKCECodeVerifier(String(repeating: "a", count: 42) + "+") }
        _ = try PKCECodeVerifier(String(repeating: "~", count: 128))
    }

    @Test("The authorization URL carries every parameter, percent-encoded, after the endpoint's own query")
    func authorizationURL() throws {
        let endpoint = try #require(URL(string: "https://idp.example.gov/openid_connect/authorize?tenant=a%20b"))
        let request = try StaffAuthorizationRequest(
            authorizationEndpoint: endpoint,
            clientID: "urn:gov:gsa:openidconnect.profiles:sp:sso:agency:reporting",
            redirectURI: "https://cx.example.gov/auth/callback?x=1&y=2",
            acrValues: "http://idmanagement.gov/ns/assurance/ial/1 urn:acr.login.gov:auth-only"
        )
        let components = try #require(URLComponents(url: request.url, resolvingAgainstBaseURL: false))
        #expect(components.scheme == "https")
        #expect(components.host == "idp.example.gov")
        #expect(components.path == "/openid_connect/authorize")
        var items: [String: String] = [:]
        for item in components.queryItems ?? [] {
            #expect(items[item.name] == nil, "\(item.name) repeated")
            items[item.name] = item.value
        }
        #expect(
            items == [
                "tenant": "a b",
                "client_id": "urn:gov:gsa:openidconnect.profiles:sp:sso:agency:reporting",
                "response_type": "code",
                "redirect_uri": "https://cx.example.gov/auth/callback?x=1&y=2",
                "scope": "openid email",
                "acr_values": "http://idmanagement.gov/ns/assurance/ial/1 urn:acr.login.gov:auth-only",
                "state": request.state,
                "nonce": request.nonce,
                "code_challenge": request.codeVerifier.challenge,
                "code_challenge_method": "S256",
                "prompt": "select_account",
            ]
        )
        // Reserved characters inside values are encoded, so the redirect URI's own query cannot leak out.
        let query = try #require(components.percentEncodedQuery)
        #expect(query.contains("redirect_uri=https%3A%2F%2Fcx.example.gov%2Fauth%2Fcallback%3Fx%3D1%26y%3D2"))
        #expect(query.contains("scope=openid%20email"))
        // state and nonce: 256 random bits each, base64url, distinct per request.
        #expect(request.state.count == 43 && request.nonce.count == 43 && request.state != request.nonce)
        let other = try StaffAuthorizationRequest(authorizationEndpoint: endpoint, clientID: "c", redirectURI: "https://r/")
        #expect(other.state != request.state && other.nonce != request.nonce && other.codeVerifier != request.codeVerifier)
        let hinted = try StaffAuthorizationRequest(
            authorizationEndpoint: endpoint,
            clientID: "c",
            redirectURI: "https://r/",
            loginHint: "staff+1@irs.example.gov"
        )
        #expect(hinted.url.absoluteString.hasSuffix("&login_hint=staff%2B1%40irs.example.gov"))
    }

    @Test("RS256 client assertion: header kid, claims iss=sub=client_id, aud=token endpoint, jti, exp=iat+300")
    func rs256Assertion() async throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let signer = try await StaffClientAssertionSigner(privateKeyPEM: key.pemRepresentation, keyID: "rp-key-1")
        #expect(signer.algorithm == .rs256)
        let endpoint = try #require(URL(string: "https://idp.example.gov/api/openid_connect/token"))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let token = try await signer.assertion(clientID: "urn:client", tokenEndpoint: endpoint, now: now)

        let keys = JWTKeyCollection()
        await keys.add(
            rsa: try Insecure.RSA.PublicKey(pem: key.publicKey.pemRepresentation),
            digestAlgorithm: .sha256,
            kid: "rp-key-1"
        )
        let claims = try await keys.verify(token, as: AssertionClaims.self)
        #expect(claims.iss == "urn:client" && claims.sub == "urn:client")
        #expect(claims.aud == endpoint.absoluteString)
        #expect(claims.iat == 1_800_000_000 && claims.exp == 1_800_000_300)
        #expect(claims.jti.count >= 22)
        let header = try decodeSegment(token, 0)
        #expect(header["alg"] as? String == "RS256")
        #expect(header["kid"] as? String == "rp-key-1")
        #expect(header["typ"] as? String == "JWT")

        let second = try await signer.assertion(clientID: "urn:client", tokenEndpoint: endpoint, now: now)
        #expect(try await keys.verify(second, as: AssertionClaims.self).jti != claims.jti)

        // Another key's public half does not verify it.
        let stranger = JWTKeyCollection()
        let strangerKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        await stranger.add(
            rsa: try Insecure.RSA.PublicKey(pem: strangerKey.publicKey.pemRepresentation),
            digestAlgorithm: .sha256,
            kid: "rp-key-1"
        )
        await #expect(throws: (any Error).self) { try await stranger.verify(token, as: AssertionClaims.self) }
    }

    @Test("ES256 client assertion from a P-256 PEM verifies with its public key; junk PEM is refused")
    func es256Assertion() async throws {
        let key = P256.Signing.PrivateKey()
        let signer = try await StaffClientAssertionSigner(privateKeyPEM: key.pemRepresentation, keyID: "ec-1")
        #expect(signer.algorithm == .es256)
        let endpoint = try #require(URL(string: "https://idp.example.gov/token"))
        let token = try await signer.assertion(clientID: "c", tokenEndpoint: endpoint)
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: try ES256PublicKey(pem: key.publicKey.pemRepresentation), kid: "ec-1")
        let claims = try await keys.verify(token, as: AssertionClaims.self)
        #expect(claims.aud == "https://idp.example.gov/token")
        #expect(try decodeSegment(token, 0)["alg"] as? String == "ES256")

        await #expect(throws: IdentityError.self) {
            _ = try await StaffClientAssertionSigner(privateKeyPEM: "-----BEGIN PRIVATE KEY-----\nAAAA\n", keyID: "k")
        }
        await #expect(throws: IdentityError.self) {
            _ = try await StaffClientAssertionSigner(privateKeyPath: "/nonexistent/key.pem", keyID: "k")
        }
    }

    @Test("Configuration defaults and validation")
    func configuration() throws {
        let url = try #require(URL(string: "https://idp.example.gov/x"))
        var configuration = StaffSignInConfiguration(
            issuer: "https://idp.example.gov/",
            authorizationEndpoint: url,
            tokenEndpoint: url,
            jwksURL: url,
            clientID: "c",
            redirectURI: "https://cx.example.gov/auth/callback",
            clientKeyPath: "/k.pem",
            clientKeyID: "k"
        )
        #expect(configuration.acrValues == "http://idmanagement.gov/ns/assurance/ial/1")
        #expect(configuration.scopes == ["openid", "email"])
        #expect(configuration.clockSkew == .seconds(60))
        try configuration.validate()
        configuration.tokenEndpoint = try #require(URL(string: "http://idp.example.gov/token"))
        #expect(throws: IdentityError.self) { try configuration.validate() }
        configuration.tokenEndpoint = try #require(URL(string: "http://127.0.0.1:9/token"))
        try configuration.validate()
        configuration.scopes = ["email"]
        #expect(throws: IdentityError.self) { try configuration.validate() }
    }

    @Test("Wrong state is refused before any network call")
    func stateMismatch() async throws {
        let directory = TemporaryDirectory()
        let keyPath = directory.write("client.pem", try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation)
        // Nothing listens on port 9: reaching the network would fail differently.
        let url = try #require(URL(string: "http://127.0.0.1:9/token"))
        let signIn = try await StaffSignIn(
            configuration: StaffSignInConfiguration(
                issuer: "http://127.0.0.1:9/",
                authorizationEndpoint: url,
                tokenEndpoint: url,
                jwksURL: url,
                clientID: "c",
                redirectURI: "http://127.0.0.1:9/cb",
                clientKeyPath: keyPath,
                clientKeyID: "k"
            ),
            logger: quietLogger
        )
        let pending = try signIn.begin()
        let error = await #expect(throws: IdentityError.self) {
            _ = try await signIn.complete(code: "c", state: pending.state + "x", pending: pending)
        }
        #expect(error?.code == .signInRefused)
        #expect(error?.refusal?.code == .stateMismatch)

        let transport = await #expect(throws: IdentityError.self) {
            _ = try await signIn.complete(code: "c", state: pending.state, pending: pending)
        }
        #expect(transport?.code == .tokenRequestFailed)
        #expect(transport?.isRetriable == true)
    }

    @Test("An oversized discovery answer is cut off and refused")
    func boundedBody() async throws {
        let server = try LoopbackHTTPServer(body: String(repeating: "x", count: 200_000))
        defer { server.stop() }
        let error = await #expect(throws: IdentityError.self) {
            _ = try await OpenIDProviderMetadata.discover(issuer: "http://127.0.0.1:\(server.port)/", maximumBytes: 4096, allowsLoopbackHTTP: true)
        }
        #expect(error?.code == .discoveryFailed)
        #expect(error?.reason.contains("exceeds 4096 bytes") == true)
    }

    @Test(
        "An http issuer elsewhere is refused before any request, whatever the loopback flag",
        arguments: ["http://issuer.example.gov/", "http://10.0.0.1:8080/", "http://127.0.0.1.example.gov/", "ftp://127.0.0.1/"]
    )
    func plainHTTPElsewhere(issuer: String) async throws {
        for allowsLoopbackHTTP in [false, true] {
            let error = await #expect(throws: IdentityError.self) {
                _ = try await OpenIDProviderMetadata.discover(issuer: issuer, timeout: .seconds(1), allowsLoopbackHTTP: allowsLoopbackHTTP)
            }
            #expect(error?.code == .discoveryFailed)
            #expect(error?.reason.contains("must be https") == true, "\(String(describing: error))")
        }
    }
}

@Suite("Staff sign-in against the demo issuer (ops/sample/demo_issuer.py serve)", .startsProcesses, .hangGuard)
struct StaffSignInFlowTests {
    @Test("Authorize with login_hint, exchange the code with private_key_jwt, verify: the staff identity")
    func fullFlow() async throws {
        try await DemoIssuer.with { issuer in
            let signIn = try await StaffSignIn(configuration: try issuer.configuration(), logger: quietLogger)
            try await signIn.verifier.loadKeys()
            let pending = try signIn.begin(loginHint: "staff-irs-analyst")
            let (code, state) = try await DemoIssuer.code(for: pending)
            #expect(state == pending.state)
            let staff = try await signIn.complete(code: code, state: state, pending: pending)
            #expect(staff.issuer == issuer.issuer)
            #expect(staff.subject == "staff-irs-analyst")
            #expect(staff.email == "analyst@irs.example.gov")
            #expect(staff.acr == "http://idmanagement.gov/ns/assurance/ial/1")
            #expect(staff.expiresAt.timeIntervalSince(staff.issuedAt) == 3600)
        }
    }

    @Test("Discovery reads the demo issuer's endpoints; a configuration built from it signs in")
    func discovery() async throws {
        try await DemoIssuer.with { issuer in
            // The demo issuer speaks plain HTTP on loopback: read only with the loopback flag.
            let refused = await #expect(throws: IdentityError.self) {
                _ = try await OpenIDProviderMetadata.discover(issuer: issuer.issuer)
            }
            #expect(refused?.reason.contains("must be https") == true)
            let metadata = try await OpenIDProviderMetadata.discover(issuer: issuer.issuer, allowsLoopbackHTTP: true)
            #expect(metadata.tokenEndpoint == (try issuer.url("token")))
            #expect(metadata.jwksURL == (try issuer.url("jwks")))
            let configuration = StaffSignInConfiguration(
                metadata: metadata,
                clientID: DemoIssuer.clientID,
                redirectURI: issuer.redirectURI,
                clientKeyPath: issuer.clientKeyPath,
                clientKeyID: DemoIssuer.clientKeyID
            )
            let signIn = try await StaffSignIn(configuration: configuration, logger: quietLogger)
            let pending = try signIn.begin(loginHint: "staff-admin")
            let (code, state) = try await DemoIssuer.code(for: pending)
            #expect(try await signIn.complete(code: code, state: state, pending: pending).subject == "staff-admin")
            let wrong = await #expect(throws: IdentityError.self) {
                _ = try await OpenIDProviderMetadata.discover(issuer: "http://127.0.0.1:\(issuer.port)/other/", allowsLoopbackHTTP: true)
            }
            #expect(wrong?.code == .discoveryFailed)
        }
    }

    @Test("Without login_hint the sign-in page lists the demo staff; an unregistered redirect_uri is a 400")
    func authorizePage() async throws {
        try await DemoIssuer.with { issuer in
            let configuration = try issuer.configuration()
            let page = try StaffAuthorizationRequest(configuration: configuration)
            let (pageStatus, _) = try await DemoIssuer.authorize(page.url)
            #expect(pageStatus == 200)
            var unregistered = configuration
            unregistered.redirectURI = "http://127.0.0.1:1/elsewhere"
            let (status, location) = try await DemoIssuer.authorize(
                try StaffAuthorizationRequest(configuration: unregistered, loginHint: "staff-irs-analyst").url
            )
            #expect(status == 400)
            #expect(location == nil)
        }
    }

    @Test("A wrong code_verifier is invalid_grant")
    func wrongVerifier() async throws {
        try await Flow.with { flow in
            let error = await #expect(throws: IdentityError.self) {
                _ = try await flow.exchange(verifier: PKCECodeVerifier())
            }
            #expect(error?.code == .tokenRequestRefused)
            #expect(error?.oauthError == "invalid_grant")
            #expect(error?.httpStatus == 400)
        }
    }

    @Test("A code used twice is invalid_grant the second time")
    func codeReused() async throws {
        try await Flow.with { flow in
            _ = try await flow.exchange()
            let error = await #expect(throws: IdentityError.self) { _ = try await flow.exchange() }
            #expect(error?.oauthError == "invalid_grant")
        }
    }

    @Test("An id_token for another sign-in's nonce is refused")
    func wrongNonce() async throws {
        try await Flow.with { flow in
            let tokens = try await flow.exchange()
            let verifier = try StaffTokenVerifier(configuration: flow.configuration, logger: quietLogger)
            #expect(await verifier.verify(tokens.idToken, expectedNonce: flow.pending.nonce).identity != nil)
            let verdict = await verifier.verify(tokens.idToken, expectedNonce: SignInSecrets.randomToken())
            #expect(verdict.refusal?.code == .nonceMismatch)
        }
    }

    @Test("A client assertion signed with another key is invalid_client")
    func assertionFromAnotherKey() async throws {
        try await Flow.with { flow in
            let impostor = try await StaffClientAssertionSigner(
                privateKeyPEM: try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation,
                keyID: DemoIssuer.clientKeyID
            )
            let error = await #expect(throws: IdentityError.self) { _ = try await flow.exchange(signer: impostor) }
            #expect(error?.code == .tokenRequestRefused)
            #expect(error?.oauthError == "invalid_client")
            #expect(error?.httpStatus == 401)
            // The code was not consumed by the refused client: the real client can still redeem it.
            _ = try await flow.exchange()
        }
    }

    @Test("A redirect_uri other than the authorization request's is invalid_grant")
    func wrongRedirectURI() async throws {
        try await Flow.with { flow in
            let error = await #expect(throws: IdentityError.self) {
                _ = try await flow.exchange(redirectURI: flow.configuration.redirectURI + "/other")
            }
            #expect(error?.oauthError == "invalid_grant")
        }
    }

    @Test("An id_token whose audience is another client is refused")
    func wrongAudience() async throws {
        try await Flow.with { flow in
            let tokens = try await flow.exchange()
            var otherClient = flow.configuration
            otherClient.clientID = "urn:gov:gsa:openidconnect.profiles:sp:sso:civicpulse:other"
            let verifier = try StaffTokenVerifier(configuration: otherClient, logger: quietLogger)
            let verdict = await verifier.verify(tokens.idToken, expectedNonce: flow.pending.nonce)
            #expect(verdict.refusal?.code == .wrongAudience)
        }
    }
}

/// One sign-in against a fresh demo issuer, up to the callback, with the pieces used one by one.
struct Flow {
    let issuer: DemoIssuer
    let configuration: StaffSignInConfiguration
    let signer: StaffClientAssertionSigner
    let pending: StaffAuthorizationRequest
    let code: String

    /// Runs `body` with a sign-in for `subject` that has reached the callback; the issuer is stopped after.
    static func with(subject: String = "staff-ssa-analyst", _ body: (Flow) async throws -> Void) async throws {
        try await DemoIssuer.with { issuer in
            let configuration = try issuer.configuration()
            let signer = try await StaffClientAssertionSigner(
                privateKeyPath: configuration.clientKeyPath,
                keyID: configuration.clientKeyID
            )
            let pending = try StaffAuthorizationRequest(configuration: configuration, loginHint: subject)
            let (code, _) = try await DemoIssuer.code(for: pending)
            try await body(
                Flow(issuer: issuer, configuration: configuration, signer: signer, pending: pending, code: code)
            )
        }
    }

    func exchange(
        verifier: PKCECodeVerifier? = nil,
        redirectURI: String? = nil,
        signer: StaffClientAssertionSigner? = nil
    ) async throws -> StaffTokenResponse {
        let client = StaffTokenClient(tokenEndpoint: self.configuration.tokenEndpoint)
        let assertion = try await (signer ?? self.signer).assertion(
            clientID: self.configuration.clientID,
            tokenEndpoint: self.configuration.tokenEndpoint
        )
        return try await client.exchange(
            code: self.code,
            redirectURI: redirectURI ?? self.configuration.redirectURI,
            codeVerifier: verifier ?? self.pending.codeVerifier,
            clientID: self.configuration.clientID,
            clientAssertion: assertion
        )
    }
}

/// The claims of a client assertion as the tests read them back with jwt-kit.
struct AssertionClaims: JWTPayload {
    var iss: String
    var sub: String
    var aud: String
    var jti: String
    var iat: Int
    var exp: Int

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// The JSON object in segment `index` of a compact JWS.
func decodeSegment(_ token: String, _ index: Int) throws -> [String: Any] {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    let segment = try #require(parts.count == 3 ? String(parts[index]) : nil)
    let data = try #require(Data(base64Encoded: padded(segment)))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}
