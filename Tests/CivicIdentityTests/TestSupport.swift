import Crypto
import Foundation
import Logging
import Synchronization
import _CryptoExtras

@testable import CivicIdentity

/// A clock the tests move by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        self.current = Mutex(start)
    }

    var now: Date { self.current.withLock { $0 } }

    var nowSeconds: Double { self.now.timeIntervalSince1970 }

    func advance(by seconds: Double) {
        self.current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var closure: @Sendable () -> Date { { self.now } }
}

/// Unpadded base64url, written independently of the library's encoder.
func base64URL(_ bytes: some DataProtocol) -> String {
    Data(bytes).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

func base64URL(_ text: String) -> String { base64URL(Data(text.utf8)) }

func json(_ object: [String: Any]) -> String {
    // Sorted keys keep minted tokens reproducible.
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
}

/// A signing key generated in the test process.
struct TestSigningKey: Sendable {
    enum Material: Sendable {
        case rsa(_RSA.Signing.PrivateKey)
        case ec(P256.Signing.PrivateKey)
    }

    let kid: String
    let material: Material

    static func rsa(kid: String) -> TestSigningKey {
        // 2048-bit RSA generation cannot fail on a healthy system; a test failure would say so.
        let key = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
        return TestSigningKey(kid: kid, material: .rsa(key))
    }

    static func ec(kid: String) -> TestSigningKey {
        TestSigningKey(kid: kid, material: .ec(P256.Signing.PrivateKey()))
    }

    var alg: String {
        switch self.material {
        case .rsa: "RS256"
        case .ec: "ES256"
        }
    }

    func sign(_ input: [UInt8]) -> [UInt8] {
        switch self.material {
        case .rsa(let key):
            return Array((try! key.signature(for: Data(input), padding: .insecurePKCS1v1_5)).rawRepresentation)
        case .ec(let key):
            return Array((try! key.signature(for: Data(input))).rawRepresentation)
        }
    }

    /// The public JWK as a JSON object.
    var jwk: [String: Any] {
        switch self.material {
        case .rsa(let key):
            let primitives = try! key.publicKey.getKeyPrimitives()
            return [
                "kty": "RSA", "kid": self.kid, "use": "sig", "alg": "RS256",
                "n": base64URL(primitives.modulus), "e": base64URL(primitives.publicExponent),
            ]
        case .ec(let key):
            let raw = key.publicKey.rawRepresentation
            return [
                "kty": "EC", "kid": self.kid, "use": "sig", "crv": "P-256",
                "x": base64URL(raw.prefix(32)), "y": base64URL(raw.suffix(32)),
            ]
        }
    }

    /// The RSA public key's PEM (SubjectPublicKeyInfo) bytes, for the algorithm-confusion test.
    var publicKeyPEM: String? {
        if case .rsa(let key) = self.material { return key.publicKey.pemRepresentation }
        return nil
    }

    var publicKeyDER: Data? {
        if case .rsa(let key) = self.material { return key.publicKey.derRepresentation }
        return nil
    }
}

/// Keys shared by all tests (RSA generation is the slow part).
enum TestKeys {
    static let rsaA = TestSigningKey.rsa(kid: "rsa-a")
    static let rsaB = TestSigningKey.rsa(kid: "rsa-b")
    static let ecA = TestSigningKey.ec(kid: "ec-a")
    /// A different RSA key that claims rsaA's kid (a forger's key).
    static let rsaImpostor = TestSigningKey.rsa(kid: "rsa-a")
}

func jwksJSON(_ keys: [TestSigningKey]) -> String {
    json(["keys": keys.map(\.jwk)])
}

enum Minter {
    static let issuer = "https://idp.int.identitysandbox.gov/"
    static let audience = "urn:gov:gsa:openidconnect.profiles:sp:sso:civicpulse:cx"

    /// Standard Login.gov-shaped claims valid at `now`.
    static func claims(now: Double, subject: String = "5b3c7d1e-1111-4c2b-9a57-1c1f5f3e2b10") -> [String: Any] {
        [
            "iss": issuer, "sub": subject, "aud": audience,
            "acr": "urn:acr.login.gov:verified-facial-match-required",
            "nonce": "abcdefghijklmnopqrstuvwxyz", "jti": "jti-123",
            "iat": Int(now) - 5, "nbf": Int(now) - 5, "exp": Int(now) + 900,
        ]
    }

    static func token(key: TestSigningKey, claims: [String: Any], header: [String: Any]? = nil) -> String {
        let header = header ?? ["alg": key.alg, "kid": key.kid, "typ": "JWT"]
        let input = base64URL(json(header)) + "." + base64URL(json(claims))
        return input + "." + base64URL(key.sign(Array(input.utf8)))
    }

    static func raw(header: String, payload: String, signature: [UInt8]) -> String {
        base64URL(header) + "." + base64URL(payload) + "." + base64URL(signature)
    }
}

/// A temporary directory removed on deinit.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() {
        self.url = FileManager.default.temporaryDirectory.appendingPathComponent("civic-identity-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) -> String {
        let path = self.url.appendingPathComponent(name).path
        // Atomic replace, as a secret mount or config management would do.
        try? Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }

    deinit {
        try? FileManager.default.removeItem(at: self.url)
    }
}

/// Tests log nothing; set CIVIC_IDENTITY_TEST_LOGS=1 to see the library's log lines.
let quietLogger: Logger = {
    if ProcessInfo.processInfo.environment["CIVIC_IDENTITY_TEST_LOGS"] == "1" {
        return Logger(label: "civicpulse.identity.tests")
    }
    return Logger(label: "civicpulse.identity.tests", factory: { _ in SwiftLogNoOpLogHandler() })
}()

let testPseudonymizer: Pseudonymizer = {
    let ring = try! PseudonymKeyRing(keys: [1: Array(0..<32).map { UInt8($0) }], currentVersion: 1)
    return Pseudonymizer(keyRing: ring)
}()

/// A verifier over a JWKS file, with a hand-moved clock.
struct Fixture {
    let directory = TemporaryDirectory()
    let clock = TestClock()
    let jwksPath: String
    let verifier: IdentityVerifier

    init(
        keys: [TestSigningKey] = [TestKeys.rsaA, TestKeys.ecA],
        audiences: [String] = [Minter.audience],
        minimumRefreshGap: Duration = .seconds(30),
        refreshInterval: Duration = .seconds(3600),
        maximumTokenBytes: Int = 8192,
        defaultPolicy: AgencyIdentityPolicy = AgencyIdentityPolicy(),
        agencyPolicies: [String: AgencyIdentityPolicy] = [:],
        agencyAudiences: [String: [String]] = [:],
        pseudonymizer: Pseudonymizer = testPseudonymizer
    ) throws {
        self.jwksPath = self.directory.write("jwks.json", jwksJSON(keys))
        let issuer = TrustedIssuer(
            issuer: Minter.issuer,
            audiences: audiences,
            keySource: .file(self.jwksPath),
            refreshInterval: refreshInterval,
            minimumRefreshGap: minimumRefreshGap,
            agencyAudiences: agencyAudiences
        )
        let configuration = IdentityVerifierConfiguration(
            trustedIssuers: [issuer],
            maximumTokenBytes: maximumTokenBytes,
            defaultPolicy: defaultPolicy,
            agencyPolicies: agencyPolicies
        )
        self.verifier = try IdentityVerifier(
            configuration: configuration,
            pseudonymizer: pseudonymizer,
            logger: quietLogger,
            now: self.clock.closure
        )
    }

    var now: Double { self.clock.nowSeconds }

    func rotate(to keys: [TestSigningKey]) {
        _ = self.directory.write("jwks.json", jwksJSON(keys))
    }

    func token(key: TestSigningKey = TestKeys.rsaA, _ edit: (inout [String: Any]) -> Void = { _ in }) -> String {
        var claims = Minter.claims(now: self.now)
        edit(&claims)
        return Minter.token(key: key, claims: claims)
    }

    func status() async -> JWKSStatus? {
        await self.verifier.keySetStatus().first
    }
}
