import CivicTesting
import Foundation
import Testing

/// Deployment files under test, relative to the repository root.
enum OpsFiles {
    static var root: URL { RepositoryLayout.root }
    static var compose: URL { root.appendingPathComponent("compose.yaml") }
    static var dockerfile: URL { root.appendingPathComponent("ops/Dockerfile") }
    static var dockerignore: URL { root.appendingPathComponent(".dockerignore") }
    static var postgresInit: URL { root.appendingPathComponent("ops/postgres/10-civicpulse.sh") }
    static var packageManifest: URL { root.appendingPathComponent("Package.swift") }

    /// Debian's docker-compose 1.29 (ops/bootstrap installs it); `CIVIC_DOCKER_COMPOSE` overrides.
    static var dockerCompose: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.environment["CIVIC_DOCKER_COMPOSE"] ?? "/usr/bin/docker-compose")
    }

    /// check-jsonschema from the project venv.
    static var checkJSONSchema: URL { RepositoryLayout.runtime.appendingPathComponent("venv/bin/check-jsonschema") }

    /// kubernetes-validate from the project venv (ops/requirements.txt).
    static var kubernetesValidate: URL { RepositoryLayout.runtime.appendingPathComponent("venv/bin/kubernetes-validate") }

    /// kubectl, whose built-in kustomize renders ops/k8s (part of the machine image); `CIVIC_KUBECTL` overrides.
    static var kubectl: URL { URL(fileURLWithPath: ProcessInfo.processInfo.environment["CIVIC_KUBECTL"] ?? "/usr/bin/kubectl") }

    /// promtool from Debian's `prometheus` package (ops/bootstrap installs it); `CIVIC_PROMTOOL` overrides.
    static var promtool: URL { URL(fileURLWithPath: ProcessInfo.processInfo.environment["CIVIC_PROMTOOL"] ?? "/usr/bin/promtool") }

    /// The Kubernetes manifests: a kustomize base and one folder per overlay.
    static var kubernetes: URL { root.appendingPathComponent("ops/k8s") }
    static let overlays = ["staging", "production"]

    static func text(_ url: URL) throws -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw TestEnvironmentError("cannot read \(url.path): \(error)")
        }
    }
}

/// The four long-running services: compose service name (= Dockerfile target = product), database role
/// (= schema), the password variable the init script reads, the host port, and the stage its main stream
/// processor reports in metrics (`stage` label).
struct AppService: Sendable, CustomTestStringConvertible {
    let name: String
    let role: String
    let passwordVariable: String
    let hostPort: Int
    let stage: String

    var testDescription: String { name }

    static let all: [AppService] = [
        AppService(name: "survey-intake", role: "intake", passwordVariable: "CIVIC_INTAKE_DB_PASSWORD", hostPort: 8081, stage: "intake"),
        AppService(name: "identity-verify", role: "identity", passwordVariable: "CIVIC_IDENTITY_DB_PASSWORD", hostPort: 8082, stage: "identity"),
        AppService(name: "sentiment-scorer", role: "scorer", passwordVariable: "CIVIC_SCORER_DB_PASSWORD", hostPort: 8083, stage: "scorer"),
        AppService(name: "reporting", role: "reporting", passwordVariable: "CIVIC_REPORTING_DB_PASSWORD", hostPort: 8084, stage: "reporting"),
    ]

    /// Every executable product of Package.swift, which the image must contain.
    static let products = ["survey-intake", "identity-verify", "sentiment-scorer", "reporting", "civicctl"]
}

// MARK: - Running tools

struct ToolResult: Sendable {
    let status: Int32
    let standardOutput: String
    let standardError: String

    var summary: String {
        "exit status \(status)\n--- stdout ---\n\(standardOutput.suffix(4000))\n--- stderr ---\n\(standardError.suffix(4000))"
    }
}

/// Fails (never skips) when a tool that ops/bootstrap installs is missing.
func requireTool(_ url: URL, _ what: String) throws {
    guard FileManager.default.isExecutableFile(atPath: url.path) else {
        throw TestEnvironmentError("\(what) not found at \(url.path); run ops/bootstrap first")
    }
}

/// Runs a short-lived command to completion. Output goes to temporary files (not pipes), so a chatty
/// command can never block on a full pipe. The environment is exactly `environment` plus PATH, HOME and
/// LANG, so the caller's CIVIC_* or COMPOSE_* variables cannot change what the test sees.
func runTool(
    _ executable: URL,
    _ arguments: [String],
    environment: [String: String] = [:],
    currentDirectory: URL? = nil,
    standardInput: String? = nil
) throws -> ToolResult {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("civic-ops-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    let inURL = scratch.appendingPathComponent("stdin")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: inURL.path, contents: Data((standardInput ?? "").utf8))
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    let input = try FileHandle(forReadingFrom: inURL)
    defer {
        try? out.close()
        try? err.close()
        try? input.close()
    }

    let inherited = ProcessInfo.processInfo.environment
    var base: [String: String] = [
        "PATH": inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    ]
    if let home = inherited["HOME"] { base["HOME"] = home }

    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = base.merging(environment) { _, new in new }
    process.currentDirectoryURL = currentDirectory ?? OpsFiles.root
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try ProcessLauncher.run(process)
    process.waitUntilExit()
    return ToolResult(
        status: process.terminationStatus,
        standardOutput: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
        standardError: (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    )
}

// MARK: - compose.yaml as data

/// compose.yaml as `docker-compose config` normalises it (anchors merged, defaults interpolated with a
/// clean environment and an empty env file), and as written, both converted to JSON by the venv's Python
/// (ruamel.yaml comes with check-jsonschema).
enum ComposeDocument {
    private static let normalisedJSON: Result<Data, TestEnvironmentError> = Result(catching: { try loadNormalised() })
        .mapError { $0 as? TestEnvironmentError ?? TestEnvironmentError("\($0)") }
    private static let rawJSON: Result<Data, TestEnvironmentError> = Result(catching: { try yamlToJSON(try OpsFiles.text(OpsFiles.compose)) })
        .mapError { $0 as? TestEnvironmentError ?? TestEnvironmentError("\($0)") }

    /// The normalised configuration.
    static func normalised() throws -> [String: Any] { try object(normalisedJSON.get()) }
    /// The file as written.
    static func raw() throws -> [String: Any] { try object(rawJSON.get()) }

    /// Runs `docker-compose config` the way the validation test does, with no inherited variables.
    static func compose(_ arguments: [String]) throws -> ToolResult {
        try requireTool(OpsFiles.dockerCompose, "docker-compose")
        let emptyEnvFile = FileManager.default.temporaryDirectory.appendingPathComponent("civic-ops-empty-\(getpid()).env")
        _ = FileManager.default.createFile(atPath: emptyEnvFile.path, contents: Data())
        return try runTool(
            OpsFiles.dockerCompose,
            ["--env-file", emptyEnvFile.path, "-f", OpsFiles.compose.path] + arguments
        )
    }

    private static func loadNormalised() throws -> Data {
        let result = try compose(["config"])
        guard result.status == 0 else { throw TestEnvironmentError("docker-compose config failed: \(result.summary)") }
        return try yamlToJSON(result.standardOutput)
    }

    static func yamlToJSON(_ yaml: String) throws -> Data {
        try requireTool(RepositoryLayout.python, "the project venv's Python")
        let script = """
            import json, sys
            from ruamel.yaml import YAML
            json.dump(YAML(typ="safe", pure=True).load(sys.stdin), sys.stdout)
            """
        let result = try runTool(RepositoryLayout.python, ["-c", script], standardInput: yaml)
        guard result.status == 0 else {
            throw TestEnvironmentError("YAML to JSON conversion failed (run ops/bootstrap for ruamel.yaml): \(result.summary)")
        }
        return Data(result.standardOutput.utf8)
    }

    private static func object(_ data: Data) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestEnvironmentError("compose document is not a mapping")
        }
        return object
    }
}

/// Typed access to one compose service (normalised form).
struct ComposeService {
    let name: String
    let body: [String: Any]

    init(_ name: String, in document: [String: Any]) throws {
        let services = try #require(document["services"] as? [String: Any], "compose file has no services")
        self.name = name
        self.body = try #require(services[name] as? [String: Any], "compose file has no service \(name)")
    }

    var image: String? { body["image"] as? String }
    var profiles: [String] { body["profiles"] as? [String] ?? [] }
    var restart: String? { body["restart"] as? String }
    var build: [String: Any]? { body["build"] as? [String: Any] }

    /// `environment` as a dictionary, whichever form (mapping or KEY=VALUE list) it is written in.
    var environment: [String: String] {
        if let mapping = body["environment"] as? [String: Any] {
            return mapping.reduce(into: [:]) { result, pair in result[pair.key] = "\(pair.value)" }
        }
        if let list = body["environment"] as? [String] {
            return list.reduce(into: [:]) { result, entry in
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                result[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
        }
        return [:]
    }

    /// `depends_on` as service -> condition (short form means service_started).
    var dependsOn: [String: String] {
        if let mapping = body["depends_on"] as? [String: Any] {
            return mapping.reduce(into: [:]) { result, pair in
                result[pair.key] = (pair.value as? [String: Any])?["condition"] as? String ?? "service_started"
            }
        }
        if let list = body["depends_on"] as? [String] {
            return Dictionary(uniqueKeysWithValues: list.map { ($0, "service_started") })
        }
        return [:]
    }

    /// The health check command as one string (CMD / CMD-SHELL prefix dropped), nil when absent or disabled.
    var healthcheckCommand: [String]? {
        guard let healthcheck = body["healthcheck"] as? [String: Any], healthcheck["disable"] as? Bool != true else { return nil }
        if let list = healthcheck["test"] as? [String] {
            guard let first = list.first, first != "NONE" else { return nil }
            return first == "CMD" || first == "CMD-SHELL" ? Array(list.dropFirst()) : list
        }
        if let string = healthcheck["test"] as? String { return [string] }
        return nil
    }

    /// Published ports as (host ip, host port, container port), from the short or long syntax.
    var ports: [(hostIP: String?, published: Int?, target: Int)] {
        get throws {
            let entries = body["ports"] as? [Any] ?? []
            return try entries.map { entry in
                if let mapping = entry as? [String: Any] {
                    let target = try #require(Int("\(mapping["target"] ?? "")"), "port without target in \(name)")
                    return (mapping["host_ip"] as? String, Int("\(mapping["published"] ?? "")"), target)
                }
                // [ip:]published:target[/protocol]
                var text = "\(entry)"
                if let slash = text.firstIndex(of: "/") { text = String(text[..<slash]) }
                let parts = text.split(separator: ":").map(String.init)
                let target = try #require(Int(parts.last ?? ""), "unparsable port \(entry) in \(name)")
                let published = parts.count >= 2 ? Int(parts[parts.count - 2]) : nil
                let ip = parts.count >= 3 ? parts[0] : nil
                return (ip, published, target)
            }
        }
    }

    /// Volume mounts as (source, target), from the short or long syntax.
    var volumes: [(source: String, target: String)] {
        (body["volumes"] as? [Any] ?? []).compactMap { entry in
            if let mapping = entry as? [String: Any], let target = mapping["target"] as? String {
                return ((mapping["source"] as? String) ?? "", target)
            }
            let parts = "\(entry)".split(separator: ":").map(String.init)
            guard parts.count >= 2 else { return nil }
            return (parts[0], parts[1])
        }
    }
}

// MARK: - ops/Dockerfile as data

/// A small Dockerfile reader: joins continuation lines, drops comments, splits instructions into
/// stages and resolves `${ARG}` defaults declared before the first FROM.
struct Dockerfile {
    struct Instruction {
        let keyword: String
        let arguments: String
    }

    struct Stage {
        let baseImage: String
        let name: String?
        var instructions: [Instruction] = []

        func all(_ keyword: String) -> [String] {
            instructions.filter { $0.keyword == keyword }.map(\.arguments)
        }
        var text: String { instructions.map { "\($0.keyword) \($0.arguments)" }.joined(separator: "\n") }
    }

    var globalArguments: [String: String] = [:]
    var stages: [Stage] = []
    var instructions: [Instruction] = []

    init(_ text: String) {
        var logical: [String] = []
        var current = ""
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") || trimmed.isEmpty { continue }
            if trimmed.hasSuffix("\\") {
                current += String(trimmed.dropLast()) + " "
            } else {
                current += trimmed
                if !current.trimmingCharacters(in: .whitespaces).isEmpty { logical.append(current) }
                current = ""
            }
        }
        if !current.isEmpty { logical.append(current) }

        for line in logical {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let instruction = Instruction(
                keyword: parts[0].uppercased(),
                arguments: parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            )
            instructions.append(instruction)
            switch instruction.keyword {
            case "ARG" where stages.isEmpty:
                let pair = instruction.arguments.split(separator: "=", maxSplits: 1).map(String.init)
                globalArguments[pair[0]] = pair.count > 1 ? pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) : ""
            case "FROM":
                let words = instruction.arguments.split(separator: " ").map(String.init).filter { !$0.hasPrefix("--") }
                let image = resolve(words.first ?? "")
                let name = words.count >= 3 && words[1].uppercased() == "AS" ? words[2] : nil
                stages.append(Stage(baseImage: image, name: name))
            default:
                if !stages.isEmpty { stages[stages.count - 1].instructions.append(instruction) }
            }
        }
    }

    func stage(named name: String) -> Stage? { stages.first { $0.name == name } }

    /// Substitutes `${NAME}` / `$NAME` with the global ARG defaults.
    func resolve(_ value: String) -> String {
        var result = value
        for (name, defaultValue) in globalArguments {
            result = result.replacingOccurrences(of: "${\(name)}", with: defaultValue)
            result = result.replacingOccurrences(of: "$\(name)", with: defaultValue)
        }
        return result
    }

    static func load() throws -> Dockerfile { Dockerfile(try OpsFiles.text(OpsFiles.dockerfile)) }
}
