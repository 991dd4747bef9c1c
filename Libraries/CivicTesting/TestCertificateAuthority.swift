import Foundation

/// A throwaway certificate authority made with the `openssl` command (installed by ops/bootstrap) in a
/// temporary folder: a self-signed CA and the server and client certificates it issues, all P-256 keys valid
/// for one day, for tests of TLS connections that must check the peer.
package final class TestCertificateAuthority: Sendable {
    /// A certificate and its private key (PEM files; the key is readable by its owner only).
    package struct Issued: Sendable {
        /// The certificate.
        package let certificate: URL
        /// The unencrypted private key.
        package let key: URL
    }

    /// The folder holding every file of this authority.
    package let directory: URL
    /// The CA's own certificate: the root a client trusts.
    package let certificate: URL
    private let key: URL

    /// Creates a new CA named `name`.
    /// - Throws: ``TestEnvironmentError`` when openssl is missing or fails.
    package init(name: String = "CivicPulse Test CA") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("civic-ca-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificate = directory.appendingPathComponent("ca.pem")
        key = directory.appendingPathComponent("ca.key")
        try Self.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key.path, "-out", certificate.path, "-days", "1", "-subj", "/CN=\(name)",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
    }

    /// Issues a certificate for `commonName`, valid for the given DNS names and IP addresses (subjectAltName,
    /// which is what clients check), for a server or, with `client`, for client authentication.
    package func issue(commonName: String, dnsNames: [String] = [], ipAddresses: [String] = [], client: Bool = false) throws -> Issued {
        let stem = directory.appendingPathComponent(commonName.replacingOccurrences(of: "/", with: "_") + (client ? "-client" : ""))
        let issued = Issued(certificate: stem.appendingPathExtension("pem"), key: stem.appendingPathExtension("key"))
        let request = stem.appendingPathExtension("csr")
        let extensions = stem.appendingPathExtension("ext")
        let names = dnsNames.map { "DNS:\($0)" } + ipAddresses.map { "IP:\($0)" }
        var lines = [
            "basicConstraints=critical,CA:FALSE",
            "keyUsage=critical,digitalSignature,keyEncipherment",
            "extendedKeyUsage=\(client ? "clientAuth" : "serverAuth")",
        ]
        if !names.isEmpty { lines.append("subjectAltName=\(names.joined(separator: ","))") }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: extensions)
        try Self.openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", issued.key.path, "-out", request.path, "-subj", "/CN=\(commonName)",
        ])
        try Self.openssl([
            "x509", "-req", "-in", request.path, "-CA", certificate.path, "-CAkey", key.path, "-CAcreateserial",
            "-days", "1", "-extfile", extensions.path, "-out", issued.certificate.path,
        ])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: issued.key.path)
        return issued
    }

    /// Removes the folder.
    package func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    private static func openssl(_ arguments: [String]) throws {
        let quoted = (["openssl"] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("civic-openssl-\(UUID().uuidString.prefix(8)).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let status = try runShell("\(quoted) >'\(output.path)' 2>&1 </dev/null")
        guard status == 0 else {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            throw TestEnvironmentError("openssl \(arguments.first ?? "") failed (\(status); run ops/bootstrap for openssl): \(text)")
        }
    }
}
