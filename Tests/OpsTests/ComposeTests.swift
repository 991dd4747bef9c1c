import CivicModels
import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// compose.yaml: validated by docker-compose and the compose-spec schema, then checked structurally
/// (the stack's wiring: health-gated start-up, /ready probes, ports, database roles, KRaft).
@Suite("compose.yaml", .hangGuard)
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

        // Kafka: the address the broker advertises on its in-network SASL_SSL listener, TLS checked against the
        // mounted CA, a SCRAM login as the service's own principal, and no topic creation (kafka-init's job).
        let advertised = try #require(kafka["KAFKA_ADVERTISED_LISTENERS"])
        let inNetwork = advertised.split(separator: ",").map(String.init).first { $0.hasPrefix("SASL_SSL://") }
        let bootstrap = try #require(environment["CIVIC_KAFKA_BOOTSTRAP"], "\(service.name) has no CIVIC_KAFKA_BOOTSTRAP")
        #expect(inNetwork == "SASL_SSL://\(bootstrap)", "\(service.name) bootstraps from \(bootstrap); Kafka advertises \(advertised)")
        #expect(environment["CIVIC_KAFKA_SECURITY_PROTOCOL"] == "sasl_ssl")
        #expect(environment["CIVIC_KAFKA_SASL_MECHANISM"] == kafka["KAFKA_SASL_ENABLED_MECHANISMS"])
        #expect(
            environment["CIVIC_KAFKA_SASL_USERNAME"] == service.name,
            "\(service.name) logs in as \(environment["CIVIC_KAFKA_SASL_USERNAME"] ?? "nobody")"
        )
        #expect(environment["CIVIC_KAFKA_CREATE_TOPICS"] == "false", "\(service.name) holds no CREATE right")
        let caPath = try #require(environment["CIVIC_KAFKA_SSL_CA_LOCATION"])
        let caMount = try ComposeService(service.name, in: document).volumes.first { $0.target == caPath }
        #expect(caMount.map { URL(fileURLWithPath: $0.source).lastPathComponent } == "ca.pem", "\(caPath) is not the mounted CA")
        let initEnvironment = try ComposeService("kafka-init", in: document).environment
        let passwordKey = "CIVIC_KAFKA_PASSWORD_" + service.name.uppercased().replacingOccurrences(of: "-", with: "_")
        let kafkaPassword = try #require(environment["CIVIC_KAFKA_SASL_PASSWORD"], "\(service.name) has no Kafka password")
        #expect(initEnvironment[passwordKey] == kafkaPassword, "kafka-init gives \(service.name) another password")

        // PostgreSQL: the service's own role and the password the init script gives that role.
        let url = try #require(environment["CIVIC_POSTGRES_URL"].flatMap(URLComponents.init(string:)), "\(service.name): bad CIVIC_POSTGRES_URL")
        #expect(["postgres", "postgresql"].contains(url.scheme ?? ""))
        #expect(url.user == service.role, "\(service.name) must connect as role \(service.role), not \(url.user ?? "nobody")")
        #expect(url.host == "postgres")
        #expect(url.path == "/\(postgres["POSTGRES_DB"] ?? "?")", "\(service.name) uses database \(url.path)")
        #expect(url.path == "/civicpulse")
        let password = try #require(postgres[service.passwordVariable], "postgres does not pass \(service.passwordVariable) to its init script")
        #expect(url.password == password, "\(service.name)'s URL password differs from \(service.passwordVariable)")
        // Secure by default: TLS to PostgreSQL with the server's certificate and name checked against the mounted CA,
        // and the server started with TLS on and the certificate make-local-ca issues for `postgres`.
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { first, _ in first }
        #expect(query["sslmode"] == "verify-full", "\(service.name) does not verify PostgreSQL")
        #expect(query["sslrootcert"] == caPath, "\(service.name) checks PostgreSQL against \(query["sslrootcert"] ?? "nothing"), not the mounted CA")
        let server = try ComposeService("postgres", in: document)
        let start = (server.body["entrypoint"] as? [Any] ?? []).map { "\($0)" }.joined(separator: " ")
        #expect(start.contains("-c ssl=on") && start.contains("/etc/civicpulse/tls/postgres.key"), "postgres does not start with TLS: \(start)")
        #expect(server.volumes.contains { $0.target == "/etc/civicpulse/tls" && $0.source.hasSuffix("ops/kafka/tls") })

        // HTTP: bound to every interface inside the container.
        #expect(environment["CIVIC_HTTP_HOST"] == "0.0.0.0", "\(service.name) would bind loopback only inside its container")

        // Values RuntimeConfiguration would reject at start-up (same ranges as its strictInt reads).
        let ranges: [String: ClosedRange<Int>] = [
            "CIVIC_HTTP_PORT": 0...65535, "CIVIC_KAFKA_SESSION_TIMEOUT_MS": 1000...3_600_000,
            "CIVIC_KAFKA_HEARTBEAT_MS": 100...3_600_000, "CIVIC_KAFKA_PARTITIONS": 1...1000,
            "CIVIC_KAFKA_REPLICATION": 1...10, "CIVIC_KAFKA_MESSAGE_TIMEOUT_MS": 100...3_600_000,
            "CIVIC_KAFKA_LINGER_MS": 0...10_000, "CIVIC_KAFKA_FETCH_WAIT_MS": 0...60_000,
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

    @Test("Kafka is the official image in KRaft mode: one combined broker and controller, two SASL_SSL client listeners")
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
        // Every client listener is SASL over TLS; the broker's own listeners take only mutual TLS.
        let interBroker = try #require(environment["KAFKA_INTER_BROKER_LISTENER_NAME"])
        for (listener, securityProtocol) in protocols {
            let brokerOwn = listener == controller || listener == interBroker
            #expect(securityProtocol == (brokerOwn ? "SSL" : "SASL_SSL"), "\(listener) is \(securityProtocol)")
            if brokerOwn {
                let clientAuth = environment["KAFKA_LISTENER_NAME_\(listener)_SSL_CLIENT_AUTH"]
                #expect(clientAuth == "required", "\(listener) must demand a client certificate")
            }
        }
        #expect(environment["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false", "no ACL must mean no access")
        #expect(environment["KAFKA_AUTHORIZER_CLASS_NAME"]?.hasSuffix("StandardAuthorizer") == true)
        #expect(environment["KAFKA_OPTS"]?.contains("java.security.auth.login.config") == true, "SASL listeners need a JAAS config")
        let clientListeners = advertised.filter { $0.key != interBroker }
        #expect(clientListeners.count == 2, "one listener for the network, one for the host: \(advertised)")
        #expect(advertised["SASL_SSL"] == "//kafka:\(port(listeners["SASL_SSL"]) ?? -1)", "in-network listener: \(advertised)")

        // The host listener: published on the host at the port it advertises, bound to its container port.
        let hostListener = try #require(clientListeners.first { $0.key != "SASL_SSL" })
        let hostPort = try #require(port(hostListener.value))
        let published = try #require(
            try kafka.ports.first { $0.published == hostPort },
            "Kafka advertises \(hostListener.value) but does not publish \(hostPort)"
        )
        #expect(published.target == port(listeners[hostListener.key]), "host port \(hostPort) must reach the \(hostListener.key) listener")
        #expect(environment["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1", "a single node needs offsets replication 1")
        #expect(kafka.healthcheckCommand != nil, "the services wait for Kafka's health check")
    }

    @Test("kafka-init's ACLs are exactly what TopicAccess grants: each service its inputs and outputs, each agency its own topic")
    func kafkaACLsMatchTopicAccess() throws {
        let document = try ComposeDocument.normalised()
        let initService = try ComposeService("kafka-init", in: document)
        let environment = initService.environment
        #expect(try ComposeService("kafka-init", in: document).dependsOn["kafka"] == "service_healthy")
        for service in AppService.all {
            let dependencies = try ComposeService(service.name, in: document).dependsOn
            #expect(dependencies["kafka-init"] == "service_completed_successfully", "\(service.name) may start before the ACLs exist")
        }

        let lines = (environment["CIVIC_KAFKA_ACLS"] ?? "").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        let granted = Set(lines.map { KafkaACL(line: $0) })
        #expect(granted.count == lines.count, "an ACL line is repeated")
        #expect(!granted.contains(nil), "unreadable ACL line in \(lines)")

        let users = (environment["CIVIC_KAFKA_USERS"] ?? "").split(separator: " ").map(String.init)
        let agencies = users.filter { $0.hasPrefix("agency-") }
        #expect(!agencies.isEmpty, "no agency producer principal")
        let access = TopicAccess.services + [TopicAccess.caseSystem] + agencies.map { TopicAccess.agency(String($0.dropFirst("agency-".count))) }
        #expect(Set(users) == Set(access.map(\.principal)), "one SCRAM user per service, the case system and each agency: \(users)")
        var expected: Set<KafkaACL?> = []
        for entry in access {
            let principal = "User:\(entry.principal)"
            expected.formUnion(entry.reads.map { KafkaACL(principal: principal, operation: "Read", type: "topic", name: $0) })
            expected.formUnion(entry.writes.map { KafkaACL(principal: principal, operation: "Write", type: "topic", name: $0) })
            expected.formUnion(entry.groups.map { KafkaACL(principal: principal, operation: "Read", type: "group", name: $0) })
            expected.formUnion(
                entry.readPrefixes.map { KafkaACL(principal: principal, operation: "Read", type: "topic", name: $0, pattern: "prefixed") }
            )
            expected.formUnion(
                entry.writePrefixes.map { KafkaACL(principal: principal, operation: "Write", type: "topic", name: $0, pattern: "prefixed") }
            )
        }
        // No agency's principal may write another agency's topic, nor the retired shared one.
        for agency in agencies {
            let writes = granted.compactMap { $0 }.filter { $0.principal == "User:\(agency)" && $0.operation == "Write" }
            #expect(writes.map(\.pattern) == ["literal"] && writes.map(\.name) == ["cx.feedback.submitted.v1.\(agency.dropFirst("agency-".count))"])
        }
        #expect(granted.subtracting(expected).isEmpty, "ACLs TopicAccess does not grant: \(granted.subtracting(expected))")
        #expect(expected.subtracting(granted).isEmpty, "ACLs missing from compose.yaml: \(expected.subtracting(granted))")
        for user in users {
            let key = "CIVIC_KAFKA_PASSWORD_" + user.uppercased().replacingOccurrences(of: "-", with: "_")
            #expect(environment[key]?.isEmpty == false, "kafka-init has no password for \(user)")
        }

        // kafka-init creates every topic and each agency's own (survey-intake holds no CREATE right), the
        // token-carrying ones with their short retention.
        let agencyTopics = Set(agencies.map { CivicTopic.submitted(agency: String($0.dropFirst("agency-".count))) })
        let topics = Set((environment["CIVIC_KAFKA_TOPICS"] ?? "").split(whereSeparator: \.isWhitespace).map(String.init))
        #expect(topics == Set(CivicTopic.all).union(agencyTopics))
        let tokenTopics = Set((environment["CIVIC_KAFKA_TOKEN_TOPICS"] ?? "").split(whereSeparator: \.isWhitespace).map(String.init))
        #expect(tokenTopics == CivicTopic.carryingIdentityTokens.union(agencyTopics))
        #expect(topics.filter(CivicTopic.carriesIdentityTokens) == tokenTopics)
        let script = try OpsFiles.text(OpsFiles.root.appendingPathComponent("ops/kafka/kafka-init.sh"))
        for tool in ["kafka-topics.sh", "kafka-configs.sh", "kafka-acls.sh"] {
            #expect(script.contains(tool), "ops/kafka/kafka-init.sh does not run \(tool)")
        }
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

/// One line of compose.yaml's `CIVIC_KAFKA_ACLS`: `<principal> <operation> <topic|group> <name> [literal|prefixed]`.
struct KafkaACL: Hashable, CustomStringConvertible {
    let principal: String
    let operation: String
    let type: String
    let name: String
    /// The resource pattern type: `literal` (the default) or `prefixed`.
    let pattern: String

    init(principal: String, operation: String, type: String, name: String, pattern: String = "literal") {
        self.principal = principal
        self.operation = operation
        self.type = type
        self.name = name
        self.pattern = pattern
    }

    init?(line: String) {
        let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard (4...5).contains(words.count), words[0].hasPrefix("User:"), ["topic", "group"].contains(words[2]) else { return nil }
        let pattern = words.count == 5 ? words[4] : "literal"
        guard ["literal", "prefixed"].contains(pattern) else { return nil }
        self.init(principal: words[0], operation: words[1], type: words[2], name: words[3], pattern: pattern)
    }

    var description: String { "\(principal) \(operation) \(type) \(name) \(pattern)" }
}
