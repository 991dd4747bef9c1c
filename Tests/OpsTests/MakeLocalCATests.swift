import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// ops/kafka/make-local-ca makes what compose.yaml's Kafka mounts: a CA, the broker's PKCS#12 keystore (key and a
/// certificate for `kafka` and `localhost` that the CA signed) with its password files, and kafka-admin's PEM.
@Suite("ops/kafka/make-local-ca", .hangGuard)
struct MakeLocalCATests {
    private func openssl(_ arguments: [String]) throws -> ToolResult {
        try runTool(URL(fileURLWithPath: "/usr/bin/openssl"), arguments)
    }

    @Test("the broker keystore opens with its password and every certificate verifies against the CA")
    func makesAVerifiableCAAndKeystore() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("civic-make-ca-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let script = scratch.appendingPathComponent("make-local-ca")
        try FileManager.default.copyItem(at: OpsFiles.root.appendingPathComponent("ops/kafka/make-local-ca"), to: script)
        let made = try runTool(URL(fileURLWithPath: "/bin/bash"), [script.path])
        #expect(made.status == 0, "\(made.summary)")
        let tls = scratch.appendingPathComponent("tls")
        func path(_ name: String) -> String { tls.appendingPathComponent(name).path }

        let verified = try openssl(["verify", "-CAfile", path("ca.pem"), path("broker.crt"), path("kafka-admin.crt"), path("postgres.crt")])
        #expect(verified.status == 0, "\(verified.summary)")
        // PostgreSQL's certificate names the compose host the services verify (sslmode=verify-full); its key is
        // the owner's alone.
        let postgresNames = try openssl(["x509", "-in", path("postgres.crt"), "-noout", "-ext", "subjectAltName"])
        #expect(postgresNames.standardOutput.contains("DNS:postgres"), "\(postgresNames.summary)")
        let keyMode = try FileManager.default.attributesOfItem(atPath: path("postgres.key"))[.posixPermissions] as? Int
        #expect(keyMode == 0o600, "postgres.key is \(String(keyMode ?? 0, radix: 8))")
        let names = try openssl(["x509", "-in", path("broker.crt"), "-noout", "-ext", "subjectAltName"])
        #expect(names.standardOutput.contains("DNS:kafka") && names.standardOutput.contains("DNS:localhost"), "\(names.summary)")

        // The password files are what the apache/kafka image reads; the keystore holds the key and the certificate.
        let password = try String(contentsOfFile: path("broker_keystore_password"), encoding: .utf8)
        #expect(try String(contentsOfFile: path("broker_key_password"), encoding: .utf8) == password)
        let keystore = try openssl(["pkcs12", "-in", path("broker.p12"), "-passin", "pass:\(password)", "-nodes"])
        #expect(keystore.status == 0, "\(keystore.summary)")
        #expect(keystore.standardOutput.contains("BEGIN PRIVATE KEY") && keystore.standardOutput.contains("CN = kafka"))
        let wrong = try openssl(["pkcs12", "-in", path("broker.p12"), "-passin", "pass:not-\(password)", "-nodes"])
        #expect(wrong.status != 0, "the keystore must need its password")

        let admin = try String(contentsOfFile: path("kafka-admin.pem"), encoding: .utf8)
        #expect(admin.contains("BEGIN PRIVATE KEY") && admin.contains("BEGIN CERTIFICATE"), "Kafka's PEM keystore needs key and certificate")
        #expect(!FileManager.default.fileExists(atPath: path("broker.key")), "the broker's bare key is left only inside the keystore")

        // A second run keeps the CA (certificates already handed out stay valid).
        let before = try Data(contentsOf: tls.appendingPathComponent("ca.pem"))
        #expect(try runTool(URL(fileURLWithPath: "/bin/bash"), [script.path]).status == 0)
        #expect(try Data(contentsOf: tls.appendingPathComponent("ca.pem")) == before)
    }
}
