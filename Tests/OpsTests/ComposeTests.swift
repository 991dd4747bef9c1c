import CivicTesting
import Foundation
import Testing

/// compose.yaml: validated by docker-compose and the compose-spec schema, then checked structurally
/// (the stack's wiring: health-gated start-up, /ready probes, ports, database roles, KRaft).
@Suite("compose.yaml")
struct ComposeTests {
    // MARK: Validation by the tools

    @Test("docker-compose config -q accepts the file")
    func dockerComposeValidates() throws {
        let result = try ComposeDocument.compose(["config", "-q"])
        #expect(result.status == 0, "docker-compose config -q rejected compose.yaml:\n\(result.summary)")
    }

    @Test("the file validates against the compose-spec JSON Schema")
    func composeSpecSchema() throws {
        try requireTool(OpsFiles.checkJSONSchema, "check-jsonschema")
        let result = try runTool(
            OpsFiles.checkJSONSchema,
            ["--builtin-schema", "vendor.compose-spec", OpsFiles.compose.path]
        )
        #expect(result.status == 0, "check-jsonschema rejected compose.yaml:\n\(result.summary)")
    }

    @Test("compose-spec form: no version key, named volumes for Kafka and PostgreSQL")
    func specFormAndVolumes() throws {
        let raw = try ComposeDocument.raw()
        #expect(raw["version"] == nil, "compose-spec files have no top-level version key")
        let volumes = try #require(raw["volumes"] as? [String: Any], "no top-level volumes")
        let document = try ComposeDocument.normalised()

        let kafka = try ComposeService("kafka", in: document)
        let logDirectory = try #require(kafka.environment["KAFKA_LOG_DIRS"], "KAFKA_LOG_DIRS must point at the data volume")
        let kafkaVolume = try #require(kafka.volumes.first { $0.target == logDirectory }, "nothing mounted at \(logDirectory)")
        #expect(volumes.keys.contains(kafkaVolume.source), "Kafka's \(logDirectory) must be a named volume, not \(kafkaVolume.source)")

        let postgres = try ComposeService("postgres", in: document)
        let dataVolume = try #require(postgres.volumes.first { $0.target == "/var/lib/postgresql/data" }, "no PostgreSQL data volume")
        #expect(volumes.keys.contains(dataVolume.source), "PostgreSQL data must be a named volume, not \(dataVolume.source)")
    }

    @Test("the stack has Kafka, PostgreSQL and the four services; civicctl only on demand")
    func services() throws {
        let document = try ComposeDocument.normalised()
        let services = try #require(document["services"] as? [String: Any])
        for name in ["kafka", "postgres"] + AppService.all.map(\.name) {
            #expect(services[name] != nil, "missing service \(name)")
            #expect(try ComposeService(name, in: document).profiles.isEmpty, "\(name) must start with a plain `up`")
        }
        if services["civicctl"] != nil {
            #expect(!(try ComposeService("civicctl", in: document).profiles.isEmpty), "civicctl is a tool, not a daemon")
        }
    }

    // MARK: The four services

    @Test("each service waits for healthy Kafka and PostgreSQL", arguments: AppService.all)
    func dependsOnHealthyInfrastructure(service: AppService) throws {
        let dependencies = try ComposeService(service.name, in: ComposeDocument.normalised()).dependsOn
        #expect(dependencies["kafka"] == "service_healthy", "\(service.name) depends_on kafka: \(dependencies)")
        #expect(dependencies["postgres"] == "service_healthy", "\(service.name) depends_on postgres: \(dependencies)")
    }

    @Test("each service's health check probes GET /ready on its HTTP port", arguments: AppService.all)
    func healthcheckProbesReady(service: AppService) throws {
        let compose = try ComposeService(service.name, in: ComposeDocument.normalised())
        let command = try #require(compose.healthcheckCommand, "\(service.name) has no health check")
        let port = try #require(compose.environment["CIVIC_HTTP_PORT"], "\(service.name) sets no CIVIC_HTTP_PORT")
        let joined = command.joined(separator: " ")
        #expect(joined.contains(":\(port)/ready"), "\(service.name) health check must probe :\(port)/ready, is: \(joined)")
        let tool = URL(fileURLWithPath: command[0].split(separator: " ")[0].description).lastPathComponent
        #expect(["curl", "wget", "bash", "sh"].contains(tool), "\(service.name) probes with \(tool)")
        if tool == "curl" {
            #expect(command.contains("--fail") || command.contains("-f") || joined.contains("-f"), "curl without --fail is healthy on 503")
        }
        let healthcheck = try #require(compose.body["healthcheck"] as? [String: Any])
        for key in ["interval", "timeout", "retries"] {
            #expect(healthcheck[key] != nil, "\(service.name) health check sets no \(key)")
        }
    }

    @Test("each service has its own role, the Kafka listener and a reachable HTTP bind", arguments: AppService.all)
    func environment(service: AppService) throws {
        let document = try ComposeDocument.normalised()
        let environment = try ComposeService(service.name, in: document).environment
        let kafka = try ComposeService("kafka", in: document).environment
        let postgres = try ComposeService("postgres", in: document).environment

        // Kafka: the address the broker advertises on its in-network PLAINTEXT listener.
        let advertised = try #require(kafka["KAFKA_ADVERTISED_LISTENERS"])
        let inNetwork = advertised.split(separator: ",").map(String.init).first { $0.hasPrefix("PLAINTEXT://") }
        let bootstrap = try #require(environment["CIVIC_KAFKA_BOOTSTRAP"], "\(service.name) has no CIVIC_KAFKA_BOOTSTRAP")
        #expect(inNetwork == "PLAINTEXT://\(bootstrap)", "\(service.name) bootstraps from \(bootstrap); Kafka advertises \(advertised)")

        // PostgreSQL: the service's own role and the password the init script gives that role.
        let url = try #require(environment["CIVIC_POSTGRES_URL"].flatMap(URLComponents.init(string:)), "\(service.name): bad CIVIC_POSTGRES_URL")
        #expect(["postgres", "postgresql"].contains(url.scheme ?? ""))
        #expect(url.user == service.role, "\(service.name) must connect as role \(service.role), not \(url.user ?? "nobody")")
        #expect(url.host == "postgres")
        #expect(url.path == "/\(postgres["POSTGRES_DB"] ?? "?")", "\(service.name) uses database \(url.path)")
        #expect(url.path == "/civicpulse")
        let password = try #require(postgres[service.passwordVariable], "postgres does not pass \(service.passwordVariable) to its init script")
        #expect(url.password == password, "\(service.name)'s URL password differs from \(service.passwordVariable)")

        // HTTP: bound to every interface inside the container.
        #expect(environment["CIVIC_HTTP_HOST"] == "0.0.0.0", "\(service.name) would bind loopback only inside its container")

        // Values RuntimeConfiguration would reject at start-up (same ranges as its strictInt reads).
        let ranges: [String: ClosedRange<Int>] = [
            "CIVIC_HTTP_PORT": 0...65535, "CIVIC_KAFKA_SESSION_TIMEOUT_MS": 1000...3_600_000,
            "CIVIC_KAFKA_HEARTBEAT_MS": 100...3_600_000, "CIVIC_KAFKA_PARTITIONS": 1...1000,
            "CIVIC_KAFKA_REPLICATION": 1...10, "CIVIC_KAFKA_MESSAGE_TIMEOUT_MS": 100...3_600_000,
            "CIVIC_KAFKA_LINGER_MS": 0...10_000,
            "CIVIC_POSTGRES_MAX_CONNECTIONS": 1...200, "CIVIC_BATCH_SIZE": 1...100_000,
            "CIVIC_STARTUP_TIMEOUT_S": 0...3600,
        ]
        for (key, range) in ranges {
            guard let value = environment[key] else { continue }
            #expect(Int(value).map(range.contains) == true, "\(service.name): \(key)=\(value) is outside \(range)")
        }
        if let replication = environment["CIVIC_KAFKA_REPLICATION"] {
            #expect(replication == "1", "a single broker cannot hold replication factor \(replication)")
        }
        if let format = environment["CIVIC_LOG_FORMAT"] { #expect(["json", "text"].contains(format.lowercased())) }
        if let level = environment["CIVIC_LOG_LEVEL"] {
            #expect(["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level.lowercased()))
        }
    }

    @Test("identity-verify gets the pseudonym keys it refuses to start without")
    func identityPseudonymKeys() throws {
        let environment = try ComposeService("identity-verify", in: ComposeDocument.normalised()).environment
        let keys = try #require(environment["CIVIC_PSEUDONYM_KEYS"], "identity-verify refuses to start without CIVIC_PSEUDONYM_KEYS")
        for entry in keys.split(separator: ",") {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            #expect(
                parts.count == 2 && parts[0].hasPrefix("v") && Int(parts[0].dropFirst()) != nil,
                "key \(parts.first ?? "") is not v<number>:<base64>"
            )
            let bytes = parts.count == 2 ? Data(base64Encoded: parts[1]) : nil
            #expect((bytes?.count ?? 0) >= 32, "pseudonym keys need at least 32 bytes")
        }
    }

    @Test("host ports are distinct: 8081-8084 map to each service's CIVIC_HTTP_PORT")
    func hostPorts() throws {
        let document = try ComposeDocument.normalised()
        let services = try #require(document["services"] as? [String: Any])
        var published: [Int: String] = [:]
        for name in services.keys.sorted() {
            for port in try ComposeService(name, in: document).ports {
                guard let host = port.published else { continue }
                #expect(published[host] == nil, "host port \(host) is published by both \(published[host] ?? "") and \(name)")
                published[host] = name
            }
        }
        for service in AppService.all {
            let compose = try ComposeService(service.name, in: document)
            let ports = try compose.ports
            let port = try #require(ports.first { $0.published == service.hostPort }, "\(service.name) must publish host port \(service.hostPort)")
            #expect(
                "\(port.target)" == compose.environment["CIVIC_HTTP_PORT"],
                "\(service.name) publishes container port \(port.target), listens on \(compose.environment["CIVIC_HTTP_PORT"] ?? "?")"
            )
        }
    }

    @Test("long-running services restart; all services build from ops/Dockerfile targets")
    func restartAndBuild() throws {
        let document = try ComposeDocument.normalised()
        let dockerfile = try Dockerfile.load()
        for name in ["kafka", "postgres"] + AppService.all.map(\.name) {
            let restart = try ComposeService(name, in: document).restart
            #expect(["always", "unless-stopped", "on-failure"].contains(restart ?? "no"), "\(name) restart policy is \(restart ?? "none")")
        }
        let services = try #require(document["services"] as? [String: Any])
        for name in services.keys.sorted() {
            guard let build = try ComposeService(name, in: document).build else { continue }
            #expect((build["dockerfile"] as? String) == "ops/Dockerfile", "\(name) builds from \(build["dockerfile"] ?? "?")")
            let context = URL(fileURLWithPath: build["context"] as? String ?? "").standardizedFileURL.resolvingSymlinksInPath()
            #expect(context.path == OpsFiles.root.standardizedFileURL.resolvingSymlinksInPath().path, "\(name) build context is \(context.path)")
            let target = try #require(build["target"] as? String, "\(name) builds no target")
            #expect(dockerfile.stage(named: target) != nil, "ops/Dockerfile has no stage \(target) for \(name)")
        }
        for service in AppService.all {
            let target = try ComposeService(service.name, in: document).build?["target"] as? String
            #expect(target == service.name, "\(service.name) must run the \(service.name) target, not \(target ?? "none")")
        }
    }

    // MARK: Kafka and PostgreSQL

    @Test("Kafka is the official image in KRaft mode: one combined broker and controller, two client listeners")
    func kafkaKRaft() throws {
        let document = try ComposeDocument.normalised()
        let kafka = try ComposeService("kafka", in: document)
        let environment = kafka.environment
        #expect(kafka.image?.hasPrefix("apache/kafka:") == true, "Kafka image is \(kafka.image ?? "none")")
        #expect(kafka.image?.hasSuffix(":latest") == false, "pin the Kafka image tag")

        let roles = Set((environment["KAFKA_PROCESS_ROLES"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(roles == ["broker", "controller"], "process.roles is \(roles)")
        let nodeID = try #require(environment["KAFKA_NODE_ID"])
        #expect(environment["KAFKA_CONTROLLER_QUORUM_VOTERS"]?.hasPrefix("\(nodeID)@") == true, "the node must be its own quorum voter")
        #expect(environment["CLUSTER_ID"] != nil, "KRaft storage needs a fixed cluster id to survive restarts")
        #expect(!environment.keys.contains { $0.contains("ZOOKEEPER") }, "no ZooKeeper settings in KRaft mode")

        func listenerMap(_ key: String) -> [String: String] {
            (environment[key] ?? "").split(separator: ",").reduce(into: [:]) { result, entry in
                let parts = entry.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 { result[parts[0]] = parts[1] }
            }
        }
        func port(_ address: String?) -> Int? { address.flatMap { $0.split(separator: ":").last }.flatMap { Int($0) } }
        let listeners = listenerMap("KAFKA_LISTENERS")
        let advertised = listenerMap("KAFKA_ADVERTISED_LISTENERS")
        let protocols = listenerMap("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")
        let controller = try #require(environment["KAFKA_CONTROLLER_LISTENER_NAMES"])
        #expect(listeners[controller] != nil, "no \(controller) listener")
        #expect(advertised[controller] == nil, "the controller listener is not advertised to clients")
        #expect(Set(listeners.keys) == Set(protocols.keys), "every listener needs a security protocol")
        #expect(protocols.filter { $0.key != controller }.values.allSatisfy { $0 == "PLAINTEXT" })
        #expect(advertised.count == 2, "one listener for the network, one for the host: \(advertised)")
        #expect(advertised["PLAINTEXT"] == "//kafka:\(port(listeners["PLAINTEXT"]) ?? -1)", "in-network listener: \(advertised)")

        // The host listener: published on the host at the port it advertises, bound to its container port.
        let hostListener = try #require(advertised.first { $0.key != "PLAINTEXT" })
        let hostPort = try #require(port(hostListener.value))
        let published = try #require(
            try kafka.ports.first { $0.published == hostPort },
            "Kafka advertises \(hostListener.value) but does not publish \(hostPort)"
        )
        #expect(published.target == port(listeners[hostListener.key]), "host port \(hostPort) must reach the \(hostListener.key) listener")
        #expect(environment["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1", "a single node needs offsets replication 1")
        #expect(kafka.healthcheckCommand != nil, "the services wait for Kafka's health check")
    }

    @Test("PostgreSQL 16 creates the civicpulse database and runs ops/postgres on first start")
    func postgres() throws {
        let document = try ComposeDocument.normalised()
        let postgres = try ComposeService("postgres", in: document)
        #expect(postgres.image == "postgres:16" || postgres.image?.hasPrefix("postgres:16.") == true, "image is \(postgres.image ?? "none")")
        #expect(postgres.environment["POSTGRES_DB"] == "civicpulse")
        #expect(postgres.environment["POSTGRES_PASSWORD"]?.isEmpty == false, "the superuser needs a password")
        let initMount = try #require(postgres.volumes.first { $0.target == "/docker-entrypoint-initdb.d" }, "ops/postgres is not mounted")
        let initSource = URL(fileURLWithPath: initMount.source).resolvingSymlinksInPath().path
        #expect(
            initSource == OpsFiles.root.appendingPathComponent("ops/postgres").resolvingSymlinksInPath().path,
            "init scripts come from \(initMount.source)"
        )
        let check = try #require(postgres.healthcheckCommand, "the services wait for PostgreSQL's health check").joined(separator: " ")
        #expect(check.contains("pg_isready"))
        // The image's init phase runs a server on the Unix socket only: probing TCP keeps the service
        // unhealthy until the roles exist.
        #expect(
            check.contains("--host=127.0.0.1") || check.contains("-h 127.0.0.1") || check.contains("-h localhost"),
            "probe TCP, not the socket: \(check)"
        )
        for service in AppService.all {
            #expect(postgres.environment[service.passwordVariable]?.isEmpty == false, "no \(service.passwordVariable) for the init script")
        }
    }
}
