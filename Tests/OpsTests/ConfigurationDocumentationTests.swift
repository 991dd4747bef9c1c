import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// docs/configuration.md against the code: every configuration key a library or service reads has a row in its
/// one table, and every row names a variable that something in the repository reads.
@Suite(.hangGuard)
struct ConfigurationDocumentationTests {
    @Test("every configuration key the libraries and services read has a row in docs/configuration.md")
    func everyKeyIsDocumented() throws {
        let table = try ConfigurationTable.load()
        let read = try ConfigurationKeys.readByCode()
        let missing = read.keys.filter { table.rows[$0] == nil }.sorted()
        let described = missing.map { "\($0) (read in \(read[$0] ?? "?"))" }.joined(separator: ", ")
        #expect(missing.isEmpty, "docs/configuration.md has no row for \(described)")
        #expect(!read.isEmpty, "no configuration key found under Libraries/ and Services/: the scan is broken")
    }

    @Test("every row of docs/configuration.md names a variable the code, a test, an ops script or compose.yaml reads")
    func noStaleRows() throws {
        let table = try ConfigurationTable.load()
        let known = try ConfigurationKeys.mentionedAnywhere()
        let stale = table.rows.keys.filter { !known.contains($0) }.sorted()
        let described = stale.map { "\($0) (line \(table.rows[$0] ?? 0))" }.joined(separator: ", ")
        #expect(stale.isEmpty, "docs/configuration.md documents variables nothing reads: \(described)")
    }

    @Test("docs/configuration.md has one unbroken table with one row per variable")
    func oneTable() throws {
        let table = try ConfigurationTable.load()
        #expect(
            table.breakingLines.isEmpty,
            "lines \(table.breakingLines) of docs/configuration.md sit inside the table but are not rows: the rows after them do not render"
        )
        #expect(table.duplicates.isEmpty, "variables with more than one row: \(table.duplicates.sorted().joined(separator: ", "))")
        #expect(table.rows.count > 50, "only \(table.rows.count) variables found in the table: is it still a table?")
    }
}

/// The table of docs/configuration.md: the variables named (in backticks) in the first cell of each row.
private struct ConfigurationTable {
    /// Each documented variable and the line of its row.
    var rows: [String: Int] = [:]
    /// Variables named in more than one row.
    var duplicates: Set<String> = []
    /// Line numbers between the first and last row that are not rows (a blank line ends a Markdown table).
    var breakingLines: [Int] = []

    static func load() throws -> ConfigurationTable {
        let text = try RepositoryText.read("docs/configuration.md")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let rowIndices = lines.indices.filter { lines[$0].hasPrefix("|") }
        var table = ConfigurationTable()
        guard let first = rowIndices.first, let last = rowIndices.last else { return table }
        table.breakingLines = (first...last).filter { !lines[$0].hasPrefix("|") }.map { $0 + 1 }
        let name = try Regex(#"`(CIVIC_[A-Z0-9_]*[A-Z0-9])`"#)
        // The first two lines are the header and its separator.
        for index in rowIndices.dropFirst(2) {
            let cells = lines[index].split(separator: "|", omittingEmptySubsequences: false)
            guard cells.count > 1 else { continue }
            for match in String(cells[1]).matches(of: name) {
                guard let variable = match.output[1].substring.map(String.init) else { continue }
                if table.rows[variable] != nil { table.duplicates.insert(variable) }
                table.rows[variable] = index + 1
            }
        }
        return table
    }
}

/// The configuration keys the code reads, as environment variable names.
private enum ConfigurationKeys {
    /// Every variable a library or service reads, with the file that reads it:
    /// - each `"civic.…"` string literal that is not a dictionary key (log metadata keys such as
    ///   `"civic.agency": …` are), as its environment name (`civic.http.port` → `CIVIC_HTTP_PORT`);
    /// - for a key read with `secret("civic.…")`, also its `-file` variant, which `ConfigReader.secret(_:)` reads;
    /// - keys a local helper builds from a prefix, `func required(_ key: String)` reading
    ///   `"civic.reporting.signin.\(key)"`: the prefix with each literal the helper is called with;
    /// - each string literal that is a whole `CIVIC_…` name (direct `ProcessInfo` environment reads).
    static func readByCode() throws -> [String: String] {
        let keyLiteral = try Regex(#""(civic\.[a-z0-9.\-]*[a-z0-9])"(?!\s*:)"#)
        let secretCall = try Regex(#"\.secret\(\s*"(civic\.[a-z0-9.\-]*[a-z0-9])""#)
        let helper = try Regex(#"func\s+(\w+)\(\s*_\s+(\w+)\s*:\s*String\s*\)"#)
        let environmentLiteral = try Regex(#""(CIVIC_[A-Z0-9_]*[A-Z0-9])""#)
        var read: [String: String] = [:]
        for file in try RepositoryText.swiftFiles(under: ["Libraries", "Services"]) {
            let text = try RepositoryText.read(file)
            func note(_ variable: String) { read[variable] = read[variable] ?? file }
            for key in captures(of: keyLiteral, in: text) { note(environmentName(of: key)) }
            for key in captures(of: secretCall, in: text) { note(environmentName(of: key + "-file")) }
            for variable in captures(of: environmentLiteral, in: text) { note(variable) }
            for match in text.matches(of: helper) {
                guard let function = match.output[1].substring.map(String.init), let parameter = match.output[2].substring.map(String.init)
                else { continue }
                let prefixPattern = #""(civic\.[a-z0-9.\-]*)\\\("# + parameter + #"\)""#
                let callPattern = #"\b"# + function + #"\(\s*"([a-z0-9\-]+)"\s*\)"#
                let prefixes = captures(of: try Regex(prefixPattern), in: text)
                let arguments = captures(of: try Regex(callPattern), in: text)
                for prefix in prefixes {
                    for argument in arguments { note(environmentName(of: prefix + argument)) }
                }
            }
        }
        return read
    }

    /// Every `CIVIC_…` name the repository reads or sets anywhere: the keys above, whole-name string literals in
    /// the tests and benchmarks, and every mention in ops/ (scripts, manifests, Dockerfile), compose.yaml and
    /// Package.swift.
    static func mentionedAnywhere() throws -> Set<String> {
        var names = Set(try readByCode().keys)
        let environmentLiteral = try Regex(#""(CIVIC_[A-Z0-9_]*[A-Z0-9])""#)
        for file in try RepositoryText.swiftFiles(under: ["Tests", "Benchmarks"]) {
            names.formUnion(captures(of: environmentLiteral, in: try RepositoryText.read(file)))
        }
        let mention = try Regex(#"(CIVIC_[A-Z0-9_]*[A-Z0-9])"#)
        for file in try RepositoryText.files(under: "ops") + ["compose.yaml", "Package.swift"] {
            names.formUnion(captures(of: mention, in: try RepositoryText.read(file)))
        }
        return names
    }

    /// `civic.reporting.session-idle-s` → `CIVIC_REPORTING_SESSION_IDLE_S`, as `ConfigurationError` names it.
    static func environmentName(of key: String) -> String {
        key.uppercased().replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    /// The first capture group of every match.
    static func captures(of regex: Regex<AnyRegexOutput>, in text: String) -> [String] {
        text.matches(of: regex).compactMap { $0.output[1].substring.map(String.init) }
    }
}

/// Files of the repository, by path relative to its root.
private enum RepositoryText {
    /// The file's text; bytes that are not UTF-8 (a keystore left in ops/kafka/tls/) become U+FFFD.
    static func read(_ path: String) throws -> String {
        let url = RepositoryLayout.root.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TestEnvironmentError("cannot read \(url.path)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The `.swift` files under each folder.
    static func swiftFiles(under folders: [String]) throws -> [String] {
        try folders.flatMap { try files(under: $0) }.filter { $0.hasSuffix(".swift") }
    }

    /// Every regular file under `folder`, sorted.
    static func files(under folder: String) throws -> [String] {
        let base = RepositoryLayout.root.appendingPathComponent(folder).standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw TestEnvironmentError("cannot list \(base.path)")
        }
        var paths: [String] = []
        while let url = enumerator.nextObject() as? URL {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(base.path + "/") else { continue }
            paths.append(folder + "/" + path.dropFirst(base.path.count + 1))
        }
        guard !paths.isEmpty else { throw TestEnvironmentError("no files under \(base.path)") }
        return paths.sorted()
    }
}
