import CivicKafka
import CivicTesting
import Foundation

/// A configuration the pipeline is measured in.
enum BenchSetup: String, CaseIterable, Sendable {
    /// As users deploy it: PostgreSQL acknowledges a commit once it is on disk (`fsync`, `synchronous_commit`, the
    /// local stack's settings) and every Kafka client reaches the broker over TLS, checking its certificate.
    case deployed
    /// The ceiling: PostgreSQL with `fsync=off` and `synchronous_commit=off`, the broker in plaintext.
    case ceiling

    /// Commits wait for the disk.
    var isDurable: Bool { self == .deployed }
    /// Kafka clients connect with TLS.
    var usesTLS: Bool { self == .deployed }

    var title: String {
        switch self {
        case .deployed: "deployed: durable PostgreSQL, TLS to the broker"
        case .ceiling: "ceiling: non-durable PostgreSQL, plaintext broker"
        }
    }
}

/// The broker of one configuration: Tansu alone (plaintext), or Tansu behind a TLS listener (stunnel) whose
/// certificate a throwaway CA signed, as the local stack runs it.
struct BenchBroker: Sendable {
    /// Tansu itself (for its CPU time).
    let tansu: TestBroker
    private let tls: TestTLSBroker?

    init(tls: Bool) async throws {
        if tls {
            let broker = try await TestTLSBroker()
            self.tls = broker
            tansu = broker.broker
        } else {
            self.tls = nil
            tansu = try await TestBroker()
        }
    }

    /// The TLS listener, when there is one (for its CPU time).
    var tlsListener: TestTLSTerminator? { tls?.terminator }

    /// The address clients bootstrap from.
    var bootstrapServers: String { tls?.bootstrapServers ?? tansu.bootstrapServers }

    /// How clients secure the connection.
    var security: KafkaSecurityConfiguration {
        guard let tls else { return KafkaSecurityConfiguration() }
        return KafkaSecurityConfiguration(securityProtocol: .ssl, caLocation: tls.authority.certificate.path)
    }

    /// The services' settings for this broker.
    var environment: [String: String] {
        var environment = ["CIVIC_KAFKA_BOOTSTRAP": bootstrapServers]
        if let tls {
            environment["CIVIC_KAFKA_SECURITY_PROTOCOL"] = "ssl"
            environment["CIVIC_KAFKA_SSL_CA_LOCATION"] = tls.authority.certificate.path
        }
        return environment
    }

    /// A client configuration for the benchmark's own producers and consumers.
    func client(_ clientID: String) -> KafkaClientConfiguration {
        var configuration = KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: clientID)
        configuration.security = security
        return configuration
    }

    func stop() async {
        if let tls { await tls.stop() } else { await tansu.kill() }
    }
}

/// What one configuration measured.
struct BenchFigures: Sendable {
    /// Responses per second from the first publish to the last row in reporting.
    var endToEnd: Double
    /// Responses per second the producer alone published (baseline of the same configuration).
    var producerAlone: Double
    /// CPU of the services and PostgreSQL per response, in µs.
    var ownCPUMicroseconds: Double
    /// p99 from the broker's acknowledgement to the row in reporting at ``fixedRate``, when measured.
    var p99Seconds: Double?
    /// The fixed rate of the latency phase (events/s).
    var fixedRate: Int

    /// The configurations of one run side by side, each against the first (the deployed one when both ran).
    static func printSideBySide(_ figures: [(BenchSetup, BenchFigures)]) {
        guard let (_, reference) = figures.first, figures.count > 1 else { return }
        print("\nside by side (same run, same machine)")
        let header = figures.map { $0.0.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined(separator: " ")
        print("  \("".padding(toLength: 44, withPad: " ", startingAt: 0)) \(header)")
        func row(_ label: String, _ value: (BenchFigures) -> Double?, _ format: String) {
            let cells = figures.map { entry -> String in
                guard let number = value(entry.1) else { return "-".padding(toLength: 14, withPad: " ", startingAt: 0) }
                return String(format: format, number).padding(toLength: 14, withPad: " ", startingAt: 0)
            }
            print("  \(label.padding(toLength: 44, withPad: " ", startingAt: 0)) \(cells.joined(separator: " "))")
        }
        row("end to end (events/s)", { $0.endToEnd }, "%.0f")
        row("producer alone (events/s)", { $0.producerAlone }, "%.0f")
        row("services + PostgreSQL CPU (µs/event)", { $0.ownCPUMicroseconds }, "%.1f")
        row("p99 broker ack -> reporting at \(reference.fixedRate)/s (ms)", { $0.p99Seconds.map { $0 * 1000 } }, "%.0f")
        for (setup, other) in figures.dropFirst() {
            print("  \(figures[0].0.rawValue) / \(setup.rawValue): end to end " + String(format: "%.2f", reference.endToEnd / other.endToEnd))
        }
    }
}
