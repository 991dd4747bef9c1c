// IdentityBench: throughput of the CivicIdentity hot paths.
//
// Build and run in release mode, pinned to one core:
//   swift build -c release --product IdentityBench && taskset -c 0 .build/release/IdentityBench [seconds-per-case]
//
// Every case runs sequentially on one task, so the figures are single-core throughput.

import CivicIdentity
import CivicTime
import Crypto
import Foundation
import Logging
import _CryptoExtras

let secondsPerCase = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? 2.0

// MARK: Token minting (keys generated here, never loaded from elsewhere)

func base64URL(_ bytes: some DataProtocol) -> String {
    Data(bytes).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

func jsonText(_ object: [String: Any]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

let issuer = "https://idp.int.identitysandbox.gov/"
let audience = "urn:gov:gsa:openidconnect.profiles:sp:sso:civicpulse:cx"
let now = Int(Date().timeIntervalSince1970)
let claims: [String: Any] = [
    "iss": issuer, "sub": "5b3c7d1e-1111-4c2b-9a57-1c1f5f3e2b10", "aud": audience,
    "acr": "urn:acr.login.gov:verified-facial-match-required", "nonce": "abcdefghijklmnopqrstuvwxyz",
    "jti": "bench-jti", "at_hash": "x8eGqkFQq1tFm1d4C2vQ9A", "iat": now, "nbf": now, "exp": now + 86_400,
]

let rsaKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
let ecKey = P256.Signing.PrivateKey()

@MainActor func mint(alg: String, kid: String, sign: ([UInt8]) throws -> [UInt8]) throws -> String {
    let input =
        base64URL(Data(try jsonText(["alg": alg, "kid": kid]).utf8)) + "."
        + base64URL(Data(try jsonText(claims).utf8))
    return input + "." + base64URL(try sign(Array(input.utf8)))
}

let rs256Token = try mint(alg: "RS256", kid: "rsa-1") {
    Array(try rsaKey.signature(for: Data($0), padding: .insecurePKCS1v1_5).rawRepresentation)
}
let es256Token = try mint(alg: "ES256", kid: "ec-1") {
    Array(try ecKey.signature(for: Data($0)).rawRepresentation)
}

let primitives = try rsaKey.publicKey.getKeyPrimitives()
let ecRaw = ecKey.publicKey.rawRepresentation
let jwks = try jsonText([
    "keys": [
        [
            "kty": "RSA", "kid": "rsa-1", "alg": "RS256", "use": "sig",
            "n": base64URL(primitives.modulus), "e": base64URL(primitives.publicExponent),
        ],
        [
            "kty": "EC", "kid": "ec-1", "crv": "P-256", "use": "sig",
            "x": base64URL(ecRaw.prefix(32)), "y": base64URL(ecRaw.suffix(32)),
        ],
    ]
])
let jwksBytes = Array(jwks.utf8)

// MARK: Components under test

let keyRing = try PseudonymKeyRing(
    keys: [1: (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }],
    currentVersion: 1
)
let rotatedRing = try PseudonymKeyRing(
    keys: [
        1: (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) },
        2: (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 11 &+ 5) },
    ],
    currentVersion: 2
)
let verifier = try IdentityVerifier(
    configuration: IdentityVerifierConfiguration(trustedIssuers: [
        TrustedIssuer(issuer: issuer, audiences: [audience], keySource: .custom(label: "bench") { jwksBytes })
    ]),
    pseudonymizer: Pseudonymizer(keyRing: keyRing),
    logger: Logger(label: "identity-bench", factory: { _ in SwiftLogNoOpLogHandler() })
)
try await verifier.loadKeys()

for (name, token) in [("RS256", rs256Token), ("ES256", es256Token)] {
    guard case .verified = await verifier.verify(token, agency: "IRS") else {
        fatalError("\(name) benchmark token did not verify")
    }
}

// Typical 40-word comments.
let plainComment =
    "The online form was easy to find and the instructions were clear, but the upload step timed out twice "
    + "before it finally accepted my documents. Overall the process took about twenty minutes and the "
    + "confirmation page was really very helpful."
let piiComment =
    "I called 202-555-0143 twice and emailed jane.doe@example.com but nobody answered for days. My SSN "
    + "123-45-6789 was rejected by the portal, so I mailed the forms to 1600 Pennsylvania Ave NW and then "
    + "paid with card 4111 1111 1111 1111 again today."
let redactor = PIIRedactor()
precondition(redactor.redact(plainComment).counts.total == 0)
precondition(redactor.redact(piiComment).counts.total == 5, "\(redactor.redact(piiComment).counts)")

// MARK: Harness

struct Measurement {
    var name: String
    var operations: Int
    var seconds: Double
    var perSecond: Double { Double(self.operations) / self.seconds }
    var microseconds: Double { self.seconds * 1e6 / Double(self.operations) }
}

let clock = ContinuousClock()

func seconds(_ duration: Duration) -> Double { duration.timeInterval }

/// Runs `body` in batches until `secondsPerCase` has passed (after a short warm-up).
@MainActor func measure(_ name: String, batch: Int, _ body: () async -> Int) async -> Measurement {
    var sink = 0
    let warmUpEnd = clock.now.advanced(by: .milliseconds(200))
    while clock.now < warmUpEnd { sink &+= await body() }
    var operations = 0
    let start = clock.now
    let deadline = start.advanced(by: .milliseconds(Int64(secondsPerCase * 1000)))
    while clock.now < deadline {
        for _ in 0..<batch { sink &+= await body() }
        operations += batch
    }
    let elapsed = seconds(clock.now - start)
    if sink == Int.min { print("") }  // keep results alive
    return Measurement(name: name, operations: operations, seconds: elapsed)
}

// Baselines, measured in the same run: the bare signature check of the same token with swift-crypto
// alone (no JWT parsing, key lookup or claim checks). Each verification is reported against it.
func signatureParts(_ token: String) -> (input: [UInt8], signature: [UInt8]) {
    let parts = token.split(separator: ".")
    var text = String(parts[2]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while text.count % 4 != 0 { text += "=" }
    return (Array("\(parts[0]).\(parts[1])".utf8), Array(Data(base64Encoded: text) ?? Data()))
}
let rsParts = signatureParts(rs256Token)
let esParts = signatureParts(es256Token)
let rsSignature = _RSA.Signing.RSASignature(rawRepresentation: rsParts.signature)
let esSignature = try P256.Signing.ECDSASignature(rawRepresentation: esParts.signature)

var results: [Measurement] = []
results.append(
    await measure("baseline: bare RS256 signature check", batch: 50) {
        rsaKey.publicKey.isValidSignature(rsSignature, for: rsParts.input, padding: .insecurePKCS1v1_5) ? 1 : 0
    }
)
results.append(
    await measure("baseline: bare ES256 signature check", batch: 50) {
        ecKey.publicKey.isValidSignature(esSignature, for: esParts.input) ? 1 : 0
    }
)
results.append(
    await measure("verify RS256 id_token (2048-bit)", batch: 50) {
        if case .verified(let identity) = await verifier.verify(rs256Token, agency: "IRS") {
            return identity.respondent.current.description.utf8.count
        }
        return 0
    }
)
results.append(
    await measure("verify ES256 id_token (P-256)", batch: 50) {
        if case .verified(let identity) = await verifier.verify(es256Token, agency: "IRS") {
            return identity.respondent.current.description.utf8.count
        }
        return 0
    }
)
let pseudonymizer = Pseudonymizer(keyRing: keyRing)
results.append(
    await measure("pseudonym (1 key version)", batch: 1000) {
        pseudonymizer.pseudonyms(issuer: issuer, audience: audience, subject: "5b3c7d1e-1111-4c2b-9a57-1c1f5f3e2b10")
            .current.description.utf8.count
    }
)
let rotatedPseudonymizer = Pseudonymizer(keyRing: rotatedRing)
results.append(
    await measure("pseudonyms (2 key versions, rotation)", batch: 1000) {
        rotatedPseudonymizer.pseudonyms(
            issuer: issuer,
            audience: audience,
            subject: "5b3c7d1e-1111-4c2b-9a57-1c1f5f3e2b10"
        )
        .all.count
    }
)
results.append(
    await measure("redact 40-word comment, no PII", batch: 1000) {
        redactor.redact(plainComment).counts.total
    }
)
results.append(
    await measure("redact 40-word comment, 5 PII items", batch: 1000) {
        redactor.redact(piiComment).counts.total
    }
)

let cpus = ProcessInfo.processInfo.activeProcessorCount
print("IdentityBench: \(secondsPerCase) s per case, one task, \(cpus) CPUs visible")
print(
    "comment lengths: plain \(plainComment.split(separator: " ").count) words / \(plainComment.utf8.count) bytes, "
        + "PII \(piiComment.split(separator: " ").count) words / \(piiComment.utf8.count) bytes"
)
for result in results {
    let name = result.name.padding(toLength: 42, withPad: " ", startingAt: 0)
    let rate = String(format: "%12.0f", result.perSecond)
    let micros = String(format: "%9.2f", result.microseconds)
    print("\(name) \(rate) ops/s  \(micros) µs/op")
}

// Ratios against the baselines measured above.
@MainActor func rate(_ prefix: String) -> Double { results.first { $0.name.hasPrefix(prefix) }?.perSecond ?? .nan }
print(String(format: "RS256 full verification = %.2f of the bare signature check's rate", rate("verify RS256") / rate("baseline: bare RS256")))
print(String(format: "ES256 full verification = %.2f of the bare signature check's rate", rate("verify ES256") / rate("baseline: bare ES256")))
