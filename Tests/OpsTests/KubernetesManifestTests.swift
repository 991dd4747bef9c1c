import CivicRuntime
import CivicTestTraits
import CivicTesting
import Configuration
import Foundation
import Testing

/// ops/k8s: each overlay, rendered by kustomize (kubectl's), is validated by kubernetes-validate against the
/// Kubernetes 1.37 schemas (strict: no unknown field), then checked for what operators rely on: probes,
/// resources, graceful termination, configuration and secrets, disruption budgets, lag autoscaling and
/// network isolation.
@Suite("Kubernetes manifests", .hangGuard)
struct KubernetesManifestTests {
    static let targets = ["base"] + OpsFiles.overlays

    @Test("kubernetes-validate --strict accepts every rendered resource", arguments: targets)
    func validates(target: String) throws {
        let rendered = try KubernetesRendering.yaml(target)
        let result = try KubernetesRendering.validate(rendered)
        #expect(result.status == 0, "kubernetes-validate rejected \(target):\n\(result.summary)")
        // Every kind the deployment needs, one per service where it is per service.
        let resources = try KubernetesRendering.resources(target)
        for kind in ["Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy", "ConfigMap"] {
            let count = resources.filter { $0.kind == kind }.count
            #expect(count >= AppService.all.count, "\(target): \(count) \(kind) resources")
        }
    }

    @Test("the validator refuses a broken manifest (the check can fail)")
    func validatorRefusesBrokenManifests() throws {
        let broken = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: broken
            spec:
              replicas: two
              selector:
                matchLabels: {app: broken}
              template:
                metadata:
                  labels: {app: broken}
                spec:
                  containers:
                    - name: broken
                      image: civicpulse/broken
            """
        #expect(try KubernetesRendering.validate(broken).status != 0)
        let unknownField = """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata:
              name: broken
            spec:
              maxUnavailabel: 1
            """
        #expect(try KubernetesRendering.validate(unknownField).status != 0, "--strict must refuse unknown fields")
    }

    @Test("each Deployment: /ready and /health probes, requests and limits, termination longer than a batch", arguments: targets)
    func deployments(target: String) throws {
        let resources = try KubernetesRendering.resources(target)
        for service in AppService.all {
            let deployment = try #require(
                resources.first { $0.kind == "Deployment" && $0.name == service.name },
                "\(target): no Deployment \(service.name)"
            )
            let pod = try #require(deployment.path("spec", "template", "spec") as? [String: Any])
            let container = try #require((pod["containers"] as? [[String: Any]])?.first, "\(service.name) has no container")
            let image = container["image"] as? String ?? ""
            #expect(image.contains("civicpulse/\(service.name)"), "\(service.name) runs image \(image)")
            let port = try #require((container["ports"] as? [[String: Any]])?.first?["containerPort"] as? Int)
            #expect(port == 8080, "\(service.name) listens on CIVIC_HTTP_PORT 8080, the container port is \(port)")
            #expect(KubernetesRendering.probePath(container["readinessProbe"]) == "/ready", "\(target)/\(service.name) readiness must probe /ready")
            #expect(KubernetesRendering.probePath(container["livenessProbe"]) == "/health", "\(target)/\(service.name) liveness must probe /health")
            // /health fails only once a stage gave up healing: one failed probe (a pause) must not restart the pod.
            let liveness = container["livenessProbe"] as? [String: Any] ?? [:]
            #expect((liveness["failureThreshold"] as? Int ?? 3) >= 2, "\(target)/\(service.name): a single failed liveness probe restarts the pod")
            for kind in ["requests", "limits"] {
                let values = (container["resources"] as? [String: Any])?[kind] as? [String: Any] ?? [:]
                #expect(values["cpu"] != nil && values["memory"] != nil, "\(target)/\(service.name) sets no \(kind) for cpu and memory")
            }
            // The service's own shutdown: 30 s graceful (the batch in hand finishes), then 10 s cancelled
            // (CivicServiceRunner); the pod must be given longer before it is killed.
            let grace = pod["terminationGracePeriodSeconds"] as? Int ?? 30
            #expect(grace > 40, "\(target)/\(service.name): terminationGracePeriodSeconds \(grace) is not longer than 30 s + 10 s")
            let security = container["securityContext"] as? [String: Any] ?? [:]
            #expect(security["allowPrivilegeEscalation"] as? Bool == false && security["readOnlyRootFilesystem"] as? Bool == true)
            #expect((pod["securityContext"] as? [String: Any])?["runAsNonRoot"] as? Bool == true)
        }
    }

    @Test("configuration comes from ConfigMaps, secrets only from Secrets", arguments: targets)
    func configurationAndSecrets(target: String) throws {
        let resources = try KubernetesRendering.resources(target)
        let configMaps = Dictionary(
            uniqueKeysWithValues: resources.filter { $0.kind == "ConfigMap" }.map { ($0.name, $0.body["data"] as? [String: Any] ?? [:]) }
        )
        // Settings docs/configuration.md marks secret.
        let secretKeys = [
            "CIVIC_POSTGRES_URL", "CIVIC_PSEUDONYM_KEYS", "CIVIC_INTAKE_ADMIN_TOKEN", "CIVIC_INTAKE_SUBMITTER_KEY",
            "CIVIC_REPORTING_ADMIN_TOKEN", "CIVIC_ERASURE_SIGNING_KEY", "CIVIC_REPORTING_SIGNIN_COOKIE_KEY",
        ]
        for (name, data) in configMaps {
            for key in secretKeys { #expect(data[key] == nil, "\(target): ConfigMap \(name) holds the secret \(key)") }
        }
        for service in AppService.all {
            let deployment = try #require(resources.first { $0.kind == "Deployment" && $0.name == service.name })
            let container = try #require((deployment.path("spec", "template", "spec", "containers") as? [[String: Any]])?.first)
            #expect(container["env"] == nil, "\(service.name): settings belong in its ConfigMaps, not inline env")
            let sources = container["envFrom"] as? [[String: Any]] ?? []
            let maps = sources.compactMap { ($0["configMapRef"] as? [String: Any])?["name"] as? String }
            let secrets = sources.compactMap { ($0["secretRef"] as? [String: Any])?["name"] as? String }
            #expect(!maps.isEmpty && maps.allSatisfy { configMaps[$0] != nil }, "\(target)/\(service.name) reads ConfigMaps \(maps)")
            #expect(secrets == ["\(service.name)-secrets"], "\(target)/\(service.name) reads Secrets \(secrets)")
            let runtime = maps.compactMap { configMaps[$0] }.reduce(into: [String: Any]()) { $0.merge($1) { _, new in new } }
            #expect(runtime["CIVIC_HTTP_HOST"] as? String == "0.0.0.0", "\(service.name) would listen on loopback only")
            #expect(runtime["CIVIC_HTTP_PORT"] as? String == "8080")
            #expect(runtime["CIVIC_KAFKA_BOOTSTRAP"] != nil)
        }
    }

    @Test("secure by default: SASL_SSL to the broker and verify-full to PostgreSQL, checked by the services' own rule", arguments: targets)
    func secureByDefault(target: String) throws {
        let resources = try KubernetesRendering.resources(target)
        let configMaps = Dictionary(
            uniqueKeysWithValues: resources.filter { $0.kind == "ConfigMap" }.map { ($0.name, $0.body["data"] as? [String: Any] ?? [:]) }
        )
        for service in AppService.all {
            let deployment = try #require(resources.first { $0.kind == "Deployment" && $0.name == service.name })
            let pod = try #require(deployment.path("spec", "template", "spec") as? [String: Any])
            let container = try #require((pod["containers"] as? [[String: Any]])?.first)
            let maps = (container["envFrom"] as? [[String: Any]] ?? []).compactMap { ($0["configMapRef"] as? [String: Any])?["name"] as? String }
            let settings = maps.compactMap { configMaps[$0] }.reduce(into: [String: String]()) { merged, data in
                for (key, value) in data { merged[key] = value as? String }
            }
            #expect(settings["CIVIC_KAFKA_SECURITY_PROTOCOL"] == "sasl_ssl", "\(target)/\(service.name)")
            #expect(settings["CIVIC_KAFKA_SASL_USERNAME"] == service.name, "\(target)/\(service.name) logs in as another principal")
            #expect(settings["PGSSLMODE"] == "verify-full", "\(target)/\(service.name)")
            #expect(settings["CIVIC_KAFKA_ALLOW_PLAINTEXT"] == nil && settings["CIVIC_POSTGRES_ALLOW_UNVERIFIED"] == nil)

            // The CA both checks name is a file of a mounted volume.
            let mounts = container["volumeMounts"] as? [[String: Any]] ?? []
            let volumes = pod["volumes"] as? [[String: Any]] ?? []
            for variable in ["CIVIC_KAFKA_SSL_CA_LOCATION", "PGSSLROOTCERT"] {
                let path = try #require(settings[variable], "\(target)/\(service.name): \(variable) unset")
                let mount = mounts.first { path.hasPrefix(($0["mountPath"] as? String ?? "?") + "/") }
                let volume = volumes.first { $0["name"] as? String == mount?["name"] as? String }
                #expect(volume?["configMap"] != nil, "\(target)/\(service.name): \(variable)=\(path) is on no mounted ConfigMap")
            }

            // What the service itself decides at start-up from these settings, with the PostgreSQL URL of the
            // operations guide's Secret (a host in the cluster, the password elided) and libpq's variables.
            var environment = settings
            environment["CIVIC_KAFKA_SASL_PASSWORD"] = "from-the-secret"
            // The mounted CA is not on this machine: a readable stand-in at another path (its contents are not read
            // by the check).
            environment["CIVIC_KAFKA_SSL_CA_LOCATION"] = OpsFiles.root.appendingPathComponent("Package.swift").path
            environment["CIVIC_POSTGRES_URL"] = "postgresql://\(service.role):secret@postgres:5432/civicpulse"
            let configuration = try RuntimeConfiguration(
                reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)),
                service: service.name
            )
            #expect(try configuration.checkTransportSecurity(environment: settings) == [], "\(target)/\(service.name)")
            // Without the manifests' PGSSLMODE the same URL would be refused: the check can fail.
            #expect(throws: ConfigurationError.self) { try configuration.checkTransportSecurity(environment: [:]) }
        }
    }

    @Test("a PodDisruptionBudget and a lag-driven HorizontalPodAutoscaler per service", arguments: targets)
    func disruptionBudgetsAndAutoscalers(target: String) throws {
        let resources = try KubernetesRendering.resources(target)
        let runtime = resources.first { $0.kind == "ConfigMap" && $0.name == "civicpulse-runtime" }?.body["data"] as? [String: Any]
        let partitions = try #require(Int(runtime?["CIVIC_KAFKA_PARTITIONS"] as? String ?? ""), "\(target): CIVIC_KAFKA_PARTITIONS unset")
        for service in AppService.all {
            let deployment = try #require(resources.first { $0.kind == "Deployment" && $0.name == service.name })
            let podLabels = deployment.path("spec", "template", "metadata", "labels") as? [String: String] ?? [:]

            let budget = try #require(resources.first { $0.kind == "PodDisruptionBudget" && $0.name == service.name }, "no PDB for \(service.name)")
            let selected = budget.path("spec", "selector", "matchLabels") as? [String: String] ?? [:]
            #expect(!selected.isEmpty && selected.allSatisfy { podLabels[$0.key] == $0.value }, "\(service.name)'s PDB selects \(selected)")
            #expect(budget.path("spec", "maxUnavailable") != nil || budget.path("spec", "minAvailable") != nil)

            let autoscaler = try #require(resources.first { $0.kind == "HorizontalPodAutoscaler" && $0.name == service.name })
            #expect(autoscaler.path("spec", "scaleTargetRef", "kind") as? String == "Deployment")
            #expect(autoscaler.path("spec", "scaleTargetRef", "name") as? String == service.name)
            let metrics = autoscaler.path("spec", "metrics") as? [[String: Any]] ?? []
            let lag = metrics.first { (($0["external"] as? [String: Any])?["metric"] as? [String: Any])?["name"] as? String == "civic_consumer_lag" }
            let external = try #require(lag?["external"] as? [String: Any], "\(service.name) does not scale on civic_consumer_lag")
            let selector = ((external["metric"] as? [String: Any])?["selector"] as? [String: Any])?["matchLabels"] as? [String: String]
            #expect(selector == ["stage": service.stage], "\(service.name) scales on the lag of \(selector ?? [:]), not stage \(service.stage)")
            let maximum = autoscaler.path("spec", "maxReplicas") as? Int ?? 0
            let minimum = autoscaler.path("spec", "minReplicas") as? Int ?? 1
            #expect(maximum <= partitions, "\(target)/\(service.name): \(maximum) replicas cannot share \(partitions) partitions")
            #expect(minimum >= 1 && minimum <= maximum)
        }
    }

    @Test("network policies: deny by default; each service reaches only the broker, PostgreSQL, DNS and the trace collector", arguments: targets)
    func networkPolicies(target: String) throws {
        let resources = try KubernetesRendering.resources(target)
        let policies = resources.filter { $0.kind == "NetworkPolicy" }
        let denyAll = policies.first {
            ($0.path("spec", "podSelector") as? [String: Any])?.isEmpty == true && $0.path("spec", "ingress") == nil
                && $0.path("spec", "egress") == nil
        }
        #expect((denyAll?.path("spec", "policyTypes") as? [String]).map(Set.init) == ["Ingress", "Egress"], "\(target): no default-deny policy")
        // HTTPS leaves the cluster only for the services that talk to OIDC issuers.
        let issuers: Set<String> = ["identity-verify", "reporting"]
        for service in AppService.all {
            let policy = try #require(
                policies.first { ($0.path("spec", "podSelector", "matchLabels") as? [String: String])?["app.kubernetes.io/name"] == service.name },
                "\(target): no NetworkPolicy for \(service.name)"
            )
            let egress = policy.path("spec", "egress") as? [[String: Any]] ?? []
            let ports = Set(egress.flatMap { ($0["ports"] as? [[String: Any]] ?? []).compactMap { $0["port"] as? Int } })
            // 4318: OTLP/HTTP to the OpenTelemetry Collector's pods (civicpulse.gov/role: otel-collector), for traces.
            let expected: Set<Int> = issuers.contains(service.name) ? [9092, 5432, 53, 4318, 443] : [9092, 5432, 53, 4318]
            #expect(ports == expected, "\(target)/\(service.name) may reach ports \(ports.sorted())")
            #expect(egress.allSatisfy { !($0["ports"] as? [Any] ?? []).isEmpty }, "\(service.name): an egress rule without ports allows every port")
            for rule in egress {
                for peer in rule["to"] as? [[String: Any]] ?? [] {
                    if let block = peer["ipBlock"] as? [String: Any] {
                        // Only outside the cluster: the private ranges are excluded.
                        #expect(Set(block["except"] as? [String] ?? []).isSuperset(of: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]))
                    } else {
                        #expect(peer["podSelector"] != nil, "\(service.name): an egress peer without a pod selector allows whole namespaces")
                    }
                }
            }
            let ingress = policy.path("spec", "ingress") as? [[String: Any]] ?? []
            #expect(ingress.allSatisfy { !($0["from"] as? [Any] ?? []).isEmpty }, "\(service.name): an ingress rule without `from` admits anyone")
            let sources = Set(
                ingress.flatMap { ($0["from"] as? [[String: Any]] ?? []) }.compactMap {
                    (($0["namespaceSelector"] as? [String: Any])?["matchLabels"] as? [String: String])?["kubernetes.io/metadata.name"]
                }
            )
            let clients: Set<String> = ["survey-intake", "reporting"].contains(service.name) ? ["monitoring", "ingress-nginx"] : ["monitoring"]
            #expect(sources == clients, "\(target)/\(service.name) admits traffic from \(sources.sorted())")
        }
    }
}

/// One rendered Kubernetes resource.
struct KubernetesResource {
    let body: [String: Any]
    var kind: String { body["kind"] as? String ?? "" }
    var name: String { (body["metadata"] as? [String: Any])?["name"] as? String ?? "" }

    /// The value at a path of mapping keys.
    func path(_ keys: String...) -> Any? {
        var current: Any? = body
        for key in keys { current = (current as? [String: Any])?[key] }
        return current
    }
}

/// Renders ops/k8s with kustomize and hands the result to kubernetes-validate and to the checks.
enum KubernetesRendering {
    private static let cache = RenderCache()

    /// `kubectl kustomize` of `ops/k8s/base` or `ops/k8s/overlays/<target>`.
    static func yaml(_ target: String) throws -> String {
        if let cached = cache.get(target) { return cached }
        try requireTool(OpsFiles.kubectl, "kubectl (its built-in kustomize)")
        let folder =
            target == "base" ? OpsFiles.kubernetes.appendingPathComponent("base") : OpsFiles.kubernetes.appendingPathComponent("overlays/\(target)")
        let result = try runTool(OpsFiles.kubectl, ["kustomize", folder.path])
        guard result.status == 0 else { throw TestEnvironmentError("kubectl kustomize \(folder.path) failed: \(result.summary)") }
        cache.set(target, result.standardOutput)
        return result.standardOutput
    }

    /// The rendered resources as data.
    static func resources(_ target: String) throws -> [KubernetesResource] {
        let script = """
            import json, sys
            from ruamel.yaml import YAML
            json.dump([d for d in YAML(typ="safe", pure=True).load_all(sys.stdin) if d], sys.stdout)
            """
        try requireTool(RepositoryLayout.python, "the project venv's Python")
        let result = try runTool(RepositoryLayout.python, ["-c", script], standardInput: try yaml(target))
        guard result.status == 0, let list = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]] else {
            throw TestEnvironmentError("cannot read the rendering of \(target): \(result.summary)")
        }
        return list.map(KubernetesResource.init(body:))
    }

    /// kubernetes-validate --strict on a multi-document YAML text.
    static func validate(_ yaml: String) throws -> ToolResult {
        try requireTool(OpsFiles.kubernetesValidate, "kubernetes-validate")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("civic-k8s-\(UUID().uuidString).yaml")
        try Data(yaml.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try runTool(OpsFiles.kubernetesValidate, ["--strict", "--quiet", "--kubernetes-version", "1.37.0", file.path])
    }

    /// The HTTP path of a probe.
    static func probePath(_ probe: Any?) -> String? {
        ((probe as? [String: Any])?["httpGet"] as? [String: Any])?["path"] as? String
    }

    /// Renderings are the same for every test in a run; kustomize runs once per target.
    final class RenderCache: @unchecked Sendable {
        // @unchecked: every access holds the lock.
        private let lock = NSLock()
        private var renderings: [String: String] = [:]
        func get(_ target: String) -> String? { lock.withLock { renderings[target] } }
        func set(_ target: String, _ text: String) { lock.withLock { renderings[target] = text } }
    }
}
