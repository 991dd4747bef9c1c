import Clibpq

/// Where a connection string connects and how it checks the server, as libpq reads it: the facts behind "no
/// unverified PostgreSQL to another host" (the policy is the caller's).
///
/// The string is parsed by libpq itself (`PQconninfoParse`), so URIs, key/value strings and host lists read
/// exactly as the connection will; what the string leaves out is taken from libpq's variables (`PGHOST`,
/// `PGHOSTADDR`, `PGSSLMODE`) as libpq would.
package struct PostgresConnectionTargets: Sendable, Equatable {
    /// The hosts (or addresses) a connection goes to, in order; Unix-socket directories and the default socket
    /// (an empty host) are left out.
    package var networkHosts: [String]
    /// The `sslmode` in force (`prefer` when nothing sets it, libpq's default).
    package var sslMode: String

    /// Whether the server's certificate is checked against the root and its name (`sslmode=verify-full`).
    package var verifiesServer: Bool { sslMode == "verify-full" }

    /// Reads `connectionString` as libpq would connect with it, given the process environment.
    /// - Throws: ``PostgresError`` (``PostgresError/Code-swift.struct/connection``) with libpq's reason when it
    ///   cannot read the string.
    package init(connectionString: String, environment: [String: String]) throws(PostgresError) {
        var message: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &message) else {
            var reason = message.map { String(cString: $0) } ?? "out of memory"
            if let message { PQfreemem(message) }
            while reason.last == "\n" { reason.removeLast() }
            throw PostgresError(code: .connection, reason: "connection string: \(reason)")
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        func setting(_ keyword: String, _ variable: String) -> String {
            if let value = values[keyword], !value.isEmpty { return value }
            return environment[variable] ?? ""
        }
        let mode = setting("sslmode", "PGSSLMODE")
        sslMode = mode.isEmpty ? "prefer" : mode
        // libpq connects to hostaddr when given (host then only names the server for TLS); otherwise to host.
        let addresses = setting("hostaddr", "PGHOSTADDR")
        networkHosts = (addresses.isEmpty ? setting("host", "PGHOST") : addresses)
            .split(separator: ",", omittingEmptySubsequences: false)
            .map { String($0) }
            .filter { !($0.isEmpty || $0.hasPrefix("/") || $0.hasPrefix("@")) }
    }
}
